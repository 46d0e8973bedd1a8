from datetime import date

from gops.people import services
from gops.people.models import Person


def make_person(*, actor, **data) -> Person:
    """Register a person through the service, as staff would (audited, validated)."""
    defaults = dict(
        first_names="Jan",
        surnames="Kowalski",
        pesel="44051401359",
        registered_street="ul. Polna 3",
        registered_postal_code="00-001",
        registered_city="Testowo",
    )
    defaults.update(data)
    return services.person_create(actor=actor, data=defaults, confirm_similar=True)


def make_foreigner(*, actor, **data) -> Person:
    defaults = dict(
        first_names="Olena",
        surnames="Kovalenko",
        pesel=None,
        birth_date=date(1990, 3, 4),
        sex="F",
        citizenship="UA",
        residence_status="temporary_protection_ua",
        id_document_type="passport",
        id_document_number="FE123456",
    )
    defaults.update(data)
    return make_person(actor=actor, **defaults)
