from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlueCardsConfig(AppConfig):
    name = "gops.bluecards"
    label = "bluecards"
    verbose_name = _("Blue Card procedure")
