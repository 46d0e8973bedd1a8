from datetime import date

from gops.people.models import Person


def make_persons(*, centre, district, count: int, surname: str = "Uczestnik") -> list[Person]:
    """Persons without PESEL, stored directly: these tests are about places, not the registry."""
    return Person.objects.bulk_create(
        Person(
            centre=centre,
            district=district,
            first_names="Anna",
            surnames=f"{surname}{number}",
            sex="F",
            birth_date=date(1980, 1, 1) + (date(1980, 1, 2) - date(1980, 1, 1)) * number,
        )
        for number in range(count)
    )
