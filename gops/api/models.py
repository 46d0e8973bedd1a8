"""What the API remembers between requests."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotentRequest(models.Model):
    """The stored answer to a POST sent with an ``Idempotency-Key`` header: the same key from
    the same user replays it (see ``gops.api.idempotency``). A key older than 24 hours may be
    reused for a new request."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="idempotent_requests",
        verbose_name=_("user"),
    )
    key = models.CharField(_("idempotency key"), max_length=100)
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    body_hash = models.CharField(_("body hash"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"))
    response_body = models.TextField(_("response body"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="api_idempotent_user_key_unique")
        ]

    def __str__(self):
        return f"{self.method} {self.path} [{self.key}]"
