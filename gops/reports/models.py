"""The reports app is read-only: its one model only carries the permissions to see reports."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Report(models.Model):
    """Holds no rows; `reports.view_mrpips03` is given to the roles that may see MRPiPS-03."""

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        default_permissions = ()
        permissions = [("view_mrpips03", _("Can see the MRPiPS-03 report"))]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
