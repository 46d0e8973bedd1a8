from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlueCardsConfig(AppConfig):
    name = "gops.bluecards"
    label = "bluecards"
    verbose_name = _("Blue Card procedure")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deployment check)
