from django.apps import AppConfig


class MaturityConfig(AppConfig):
    name = "maturity"
    verbose_name = "Risk maturity"
