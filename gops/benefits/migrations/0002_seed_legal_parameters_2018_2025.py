"""Seed the legal parameters in force since 2018-10-01 (LAW.md §2).

Later regulations are added by the administrator as new rows, not by migrations.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

# valid_from, single, per person, per 1 ha, permanent max, permanent min, percent, source.
# The periodic allowance minimum is 20 zł throughout; the cap of a single person's periodic
# allowance is seeded as the per-person criterion (LAW.md §3, marked "verify").
ROWS = [
    (
        date(2018, 10, 1), "701", "528", "308", "645", "30", "100",
        "Rozporządzenie Rady Ministrów z 11 lipca 2018 r. w sprawie zweryfikowanych kryteriów "
        "dochodowych oraz kwot świadczeń pieniężnych z pomocy społecznej (Dz.U. 2018 poz. 1358)",
    ),
    (
        date(2022, 1, 1), "776", "600", "345", "719", "30", "100",
        "Rozporządzenie Rady Ministrów z 14 lipca 2021 r. w sprawie zweryfikowanych kryteriów "
        "dochodowych oraz kwot świadczeń pieniężnych z pomocy społecznej (Dz.U. 2021 poz. 1296)",
    ),
    (
        date(2024, 1, 1), "776", "600", "345", "1000", "100", "130",
        "Zmiana art. 37 u.p.s. od 1 stycznia 2024 r. (Dz.U. 2023 poz. 1693); kryteria według "
        "Dz.U. 2021 poz. 1296",
    ),
    (
        date(2025, 1, 1), "1010", "823", "459", "1229", "100", "130",
        "Rozporządzenie Rady Ministrów z 12 lipca 2024 r. w sprawie zweryfikowanych kryteriów "
        "dochodowych oraz kwot świadczeń pieniężnych z pomocy społecznej (Dz.U. 2024 poz. 1044)",
    ),
]


def seed(apps, schema_editor):
    LegalParameters = apps.get_model("benefits", "LegalParameters")
    for valid_from, single, per_person, hectare, p_max, p_min, percent, source in ROWS:
        LegalParameters.objects.get_or_create(
            valid_from=valid_from,
            defaults={
                "single_criterion": Decimal(single),
                "per_person_criterion": Decimal(per_person),
                "farm_income_per_hectare": Decimal(hectare),
                "permanent_allowance_max": Decimal(p_max),
                "permanent_allowance_min": Decimal(p_min),
                "periodic_allowance_min": Decimal("20"),
                "periodic_single_cap": Decimal(per_person),
                "permanent_amount_percent": Decimal(percent),
                "source": source,
            },
        )


def unseed(apps, schema_editor):
    LegalParameters = apps.get_model("benefits", "LegalParameters")
    LegalParameters.objects.filter(valid_from__in=[row[0] for row in ROWS]).delete()


class Migration(migrations.Migration):
    dependencies = [("benefits", "0001_legal_parameters")]

    operations = [migrations.RunPython(seed, unseed)]
