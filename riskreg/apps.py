from django.apps import AppConfig


class RiskregConfig(AppConfig):
    name = "riskreg"
    verbose_name = "Audit Panel reports"
