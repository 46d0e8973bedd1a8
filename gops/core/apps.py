from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gops.core"
    label = "core"
