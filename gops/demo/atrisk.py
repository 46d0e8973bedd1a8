"""Demo: the lists of people at risk, computed from the demo data already seeded (expiring
documents, homeless persons, Blue Cards, permanent allowances)."""

from datetime import date

from gops.accounts.models import Centre, User
from gops.atrisk.services import atrisk_refresh


def atrisk_seed(*, centre: Centre, staff: dict[str, User], today: date) -> dict[str, int]:
    return atrisk_refresh(centre=centre, today=today)
