from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "riskreg.search"
    # Its own label and migrations: the full-text indexes on the other apps' tables.
    label = "search"
    verbose_name = "Search"
