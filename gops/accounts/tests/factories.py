from django.contrib.auth.models import Group

from gops.accounts.models import Centre, District, User

TEST_PASSWORD = "Haslo-testowe-2025"


def make_centre(**kwargs) -> Centre:
    defaults = dict(
        name="Gminny Ośrodek Pomocy Społecznej w Testowie",
        municipality="Testowo",
        mayor_title=Centre.MayorTitle.WOJT,
        teryt="1465011",
        street="ul. Główna 1",
        postal_code="00-001",
        city="Testowo",
        head_name="Anna Kierownik",
        bank_account="PL61109010140000071219812874",
    )
    defaults.update(kwargs)
    return Centre.objects.create(**defaults)


def make_district(*, centre: Centre, name: str = "Rejon 1") -> District:
    return District.objects.create(centre=centre, name=name)


def make_user(username: str, *, role: str | None, centre: Centre, **kwargs) -> User:
    user = User.objects.create_user(
        username=username,
        password=TEST_PASSWORD,
        centre=centre,
        first_name=kwargs.pop("first_name", username.capitalize()),
        last_name=kwargs.pop("last_name", "Testowa"),
        **kwargs,
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_totp_device(user: User, *, confirmed: bool = True):
    """A TOTP device of `user` with a random key, as set up through the enrolment page."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="GOPS", confirmed=confirmed)
