from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "gops.api"
    label = "api"
