import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gops.core.models import TimeStampedModel
from gops.core.validators import validate_iban

from . import roles


class Centre(TimeStampedModel):
    """The social welfare centre (ośrodek pomocy społecznej) — the tenant of every record."""

    class MayorTitle(models.TextChoices):
        WOJT = "wojt", _("Wójt Gminy")
        BURMISTRZ = "burmistrz", _("Burmistrz")
        PREZYDENT = "prezydent", _("Prezydent Miasta")

    name = models.CharField(_("name"), max_length=200)
    # "za pośrednictwem Gminnego Ośrodka Pomocy Społecznej w …" on decisions.
    name_genitive = models.CharField(
        _("name in the genitive"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Gminnego Ośrodka Pomocy Społecznej w Lipowcu"),
    )
    municipality = models.CharField(_("municipality (gmina)"), max_length=100)
    # Decisions are issued on behalf of this body (u.p.s. art. 110 ust. 7).
    mayor_title = models.CharField(
        _("executive body of the municipality"),
        max_length=12,
        choices=MayorTitle.choices,
        default=MayorTitle.WOJT,
    )
    teryt = models.CharField(
        _("TERYT code"), max_length=7, help_text=_("7-digit code of the municipality")
    )
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=6)
    city = models.CharField(_("city"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    head_name = models.CharField(_("head of centre"), max_length=200)
    bank_account = models.CharField(
        _("bank account (IBAN)"), max_length=34, validators=[validate_iban]
    )
    # Registration numbers of applications read "<prefix>/<n>/<year>", e.g. "GOPS.8100/12/2025".
    case_number_prefix = models.CharField(
        _("prefix of application numbers"), max_length=20, default="OPS"
    )
    # Monthly benefits are due on this day of their month (the centre's payment day).
    payment_day = models.PositiveSmallIntegerField(
        _("payment day of the month"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    # Decision numbers read "<prefix>/<n>/<year>".
    decision_number_prefix = models.CharField(
        _("prefix of decision numbers"), max_length=20, default="DEC"
    )

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(teryt__regex=r"^[0-9]{7}$"), name="centre_teryt_7_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def mayor_genitive(self) -> str:
        """The body the centre acts for, in the genitive: "z upoważnienia Wójta Gminy X"."""
        titles = {
            self.MayorTitle.WOJT: "Wójta Gminy",
            self.MayorTitle.BURMISTRZ: "Burmistrza Gminy",
            self.MayorTitle.PREZYDENT: "Prezydenta Miasta",
        }
        return f"{titles[self.mayor_title]} {self.municipality}"

    @property
    def genitive(self) -> str:
        return self.name_genitive or self.name


class District(TimeStampedModel):
    """Rejon: a social worker's area."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="districts")
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("streets and localities"), blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="district_unique_name"),
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff. Roles are groups (see ``roles``); the centre scopes every query."""

    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workers",
    )
    position = models.CharField(_("post"), max_length=100, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="pl"
    )
    # Upoważnienie do wydawania decyzji (u.p.s. art. 110 ust. 7–8).
    may_sign_decisions = models.BooleanField(_("may sign decisions"), default=False)
    # Set when an administrator sets a (temporary) password: the user changes it at sign-in.
    must_change_password = models.BooleanField(
        _("must change the password at the next sign-in"), default=False
    )
    # Raised by "log out everywhere"; a session signed in under a lower value is ended
    # (gops.accounts.sessions). Works with any session backend: no scan of the session store.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_role(self, role: str) -> bool:
        return self.groups.filter(name=role).exists()

    @property
    def role_names(self) -> list[str]:
        return [str(roles.ROLE_LABELS.get(g.name, g.name)) for g in self.groups.all()]


class ApiToken(models.Model):
    """A bearer token for the API, stored as a SHA-256 hash; it acts with its user's rights."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text=_("first characters, to tell tokens apart"))
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)
