"""LegalParameters: the seeded rows of LAW.md §2 and the choice of the row in force on a day."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from gops.benefits import rules
from gops.benefits.models import LegalParameters
from gops.benefits.selectors import (
    LegalParametersMissing,
    legal_parameters_as_rules,
    legal_parameters_on,
    rules_parameters_on,
)

pytestmark = pytest.mark.django_db

D = Decimal

# valid_from: single, per person, per 1 ha, permanent max, permanent min, percent (LAW.md §2).
SEEDED = {
    date(2018, 10, 1): ("701", "528", "308", "645", "30", "100"),
    date(2022, 1, 1): ("776", "600", "345", "719", "30", "100"),
    date(2024, 1, 1): ("776", "600", "345", "1000", "100", "130"),
    date(2025, 1, 1): ("1010", "823", "459", "1229", "100", "130"),
}


def new_row(**kwargs) -> LegalParameters:
    values = dict(
        valid_from=date(2028, 1, 1),
        single_criterion=D("1200"),
        per_person_criterion=D("950"),
        farm_income_per_hectare=D("500"),
        permanent_allowance_max=D("1400"),
        permanent_allowance_min=D("100"),
        permanent_amount_percent=D("130"),
        source="Dz.U. 2027 poz. 1",
    )
    values.update(kwargs)
    return LegalParameters(**values)


def test_the_migration_seeded_the_four_rows_of_the_law():
    rows = list(LegalParameters.objects.all())
    assert [row.valid_from for row in rows] == sorted(SEEDED, reverse=True)  # -valid_from
    for row in rows:
        single, per_person, hectare, p_max, p_min, percent = map(D, SEEDED[row.valid_from])
        assert row.single_criterion == single
        assert row.per_person_criterion == per_person
        assert row.farm_income_per_hectare == hectare
        assert row.permanent_allowance_max == p_max
        assert row.permanent_allowance_min == p_min
        assert row.permanent_amount_percent == percent
        assert row.periodic_allowance_min == D("20.00")
        assert row.periodic_single_cap == per_person
        assert "Dz.U." in row.source


def test_the_seeded_rows_cite_their_regulations():
    sources = {row.valid_from: row.source for row in LegalParameters.objects.all()}
    assert "Dz.U. 2018 poz. 1358" in sources[date(2018, 10, 1)]
    assert "Dz.U. 2023 poz. 1693" in sources[date(2024, 1, 1)]
    assert "Dz.U. 2024 poz. 1044" in sources[date(2025, 1, 1)]


@pytest.mark.parametrize(
    ("on", "valid_from"),
    [
        (date(2018, 10, 1), date(2018, 10, 1)),
        (date(2021, 12, 31), date(2018, 10, 1)),
        (date(2022, 1, 1), date(2022, 1, 1)),
        (date(2023, 12, 31), date(2022, 1, 1)),
        (date(2024, 1, 1), date(2024, 1, 1)),
        (date(2024, 12, 31), date(2024, 1, 1)),
        (date(2025, 1, 1), date(2025, 1, 1)),
        (date(2025, 3, 1), date(2025, 1, 1)),
        (date(2031, 6, 1), date(2025, 1, 1)),
    ],
)
def test_legal_parameters_on_picks_the_latest_row_in_force(on, valid_from):
    assert legal_parameters_on(on).valid_from == valid_from


def test_no_legal_parameters_before_2018_10_01():
    with pytest.raises(LegalParametersMissing) as caught:
        legal_parameters_on(date(2018, 9, 30))
    assert isinstance(caught.value, ValidationError)
    message = " ".join(caught.value.messages)
    assert "2018" in message
    assert caught.value.code == "no_legal_parameters"


def test_no_legal_parameters_at_all_says_so():
    LegalParameters.objects.all().delete()
    with pytest.raises(LegalParametersMissing):
        legal_parameters_on(date(2025, 3, 1))


def test_a_new_regulation_is_a_new_row_that_takes_over_from_its_date():
    new_row().save()
    assert legal_parameters_on(date(2027, 12, 31)).valid_from == date(2025, 1, 1)
    assert legal_parameters_on(date(2028, 1, 1)).single_criterion == D("1200")


def test_rules_parameters_carry_the_row_values():
    params = rules_parameters_on(date(2025, 3, 1))
    assert params == rules.Parameters(
        valid_from=date(2025, 1, 1),
        single_criterion=D("1010.00"),
        per_person_criterion=D("823.00"),
        farm_income_per_hectare=D("459.00"),
        permanent_allowance_max=D("1229.00"),
        permanent_allowance_min=D("100.00"),
        periodic_allowance_min=D("20.00"),
        periodic_single_cap=D("823.00"),
        permanent_amount_percent=D("130.00"),
        source=params.source,
    )
    assert rules_parameters_on(date(2023, 12, 31)).permanent_amount_percent == D("100")


def test_the_2024_change_to_art_37_is_data_not_code():
    one = rules.Member(applicant=True, income=D("300"), age=67, sex="F")
    before = legal_parameters_as_rules(legal_parameters_on(date(2023, 12, 31)))
    after = legal_parameters_as_rules(legal_parameters_on(date(2024, 1, 1)))
    assert rules.permanent_allowance(members=[one], params=before).amount == D("476.00")
    assert rules.permanent_allowance(members=[one], params=after).amount == D("708.80")


def test_the_periodic_cap_defaults_to_the_per_person_criterion():
    row = new_row(periodic_single_cap=None)
    row.full_clean()
    assert row.periodic_single_cap == D("950")
    row = new_row(valid_from=date(2029, 1, 1), periodic_single_cap=None)
    row.save()
    row.refresh_from_db()
    assert row.periodic_single_cap == D("950.00")


def test_the_maximum_permanent_allowance_cannot_be_below_the_minimum():
    with pytest.raises(ValidationError) as caught:
        new_row(permanent_allowance_max=D("50")).full_clean()
    assert "permanent_allowance_max" in caught.value.message_dict


def test_the_database_refuses_a_percent_below_100():
    with pytest.raises(IntegrityError), transaction.atomic():
        new_row(permanent_amount_percent=D("90")).save()


def test_valid_from_is_unique():
    with pytest.raises(IntegrityError), transaction.atomic():
        new_row(valid_from=date(2025, 1, 1)).save()


def test_the_administrator_edits_legal_parameters_in_the_admin(client, django_user_model):
    assert admin.site.is_registered(LegalParameters)
    superuser = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(superuser)
    assert client.get("/admin/benefits/legalparameters/").status_code == 200
    row = LegalParameters.objects.get(valid_from=date(2025, 1, 1))
    assert client.get(f"/admin/benefits/legalparameters/{row.pk}/change/").status_code == 200
    response = client.post(
        "/admin/benefits/legalparameters/add/",
        {
            "valid_from": "2028-01-01",
            "source": "Dz.U. 2027 poz. 1",
            "single_criterion": "1200.00",
            "per_person_criterion": "950.00",
            "farm_income_per_hectare": "500.00",
            "permanent_amount_percent": "130",
            "permanent_allowance_max": "1400.00",
            "permanent_allowance_min": "100.00",
            "periodic_allowance_min": "20.00",
            "periodic_single_cap": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    added = LegalParameters.objects.get(valid_from=date(2028, 1, 1))
    assert added.periodic_single_cap == D("950.00")
