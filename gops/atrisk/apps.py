from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtRiskConfig(AppConfig):
    name = "gops.atrisk"
    label = "atrisk"
    verbose_name = _("People at risk")
