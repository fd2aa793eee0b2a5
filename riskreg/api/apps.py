from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "riskreg.api"
    # Its own label and migrations, so that the tokens' table migrates apart from riskreg's.
    label = "api"
    verbose_name = "API"
