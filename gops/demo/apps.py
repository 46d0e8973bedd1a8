from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo centre (``seed_demo``): sits above every domain app and may use them all."""

    name = "gops.demo"
    label = "demo"
