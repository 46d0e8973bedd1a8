"""The counting rules over plain rows: hand examples and properties (hypothesis)."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gops.reports import rules
from gops.reports.rules import PaymentRow


def row(pid, person, household, size, benefit, amount, month, reasons=()):
    return PaymentRow(
        payment_id=pid,
        person_id=person,
        household_id=household,
        household_size=size,
        benefit=benefit,
        task=rules.task_of(benefit),
        amount=Decimal(amount),
        month=date(2025, month, 1),
        reasons=tuple(reasons),
    )


def test_task_mapping_cites_the_act():
    assert rules.task_of("disaster") == rules.COMMISSIONED
    assert "art. 18" in rules.legal_basis_of_task("disaster")
    for benefit in ("permanent", "periodic", "purpose", "special_purpose", "random_event"):
        assert rules.task_of(benefit) == rules.OWN
        assert "art. 17" in rules.legal_basis_of_task(benefit)


def test_periods():
    assert rules.half_year_period(2025, 1) == (date(2025, 1, 1), date(2025, 6, 30))
    assert rules.half_year_period(2025, 2) == (date(2025, 7, 1), date(2025, 12, 31))
    assert rules.half_year_period(2025, None) == (date(2025, 1, 1), date(2025, 12, 31))


def test_hand_example():
    rows = [
        # person 1 (family 10, 3 persons): periodic Jul, Aug, and Aug again (a top-up)
        row(1, 1, 10, 3, "periodic", "100.00", 7, ["poverty"]),
        row(2, 1, 10, 3, "periodic", "100.00", 8, ["poverty"]),
        row(3, 1, 10, 3, "periodic", "20.00", 8, ["poverty"]),
        # person 2 of the same family: purpose allowance twice (two payments)
        row(4, 2, 10, 3, "purpose", "50.00", 7, ["poverty", "disability"]),
        row(5, 2, 10, 3, "purpose", "60.00", 9, ["poverty"]),
        # person 3 (family 11, alone): disaster
        row(6, 3, 11, 1, "disaster", "1000.00", 9, ["disaster"]),
    ]
    report = rules.mrpips03(rows)
    by_key = {(r.benefit, r.task): r for r in report.rows}
    assert list(by_key) == [("periodic", "own"), ("purpose", "own"), ("disaster", "commissioned")]
    periodic = by_key[("periodic", "own")]
    # 1 person, 2 paid months (Jul, Aug; the top-up is no new benefit), 220.00, 1 family of 3
    assert (periodic.persons, periodic.benefits, periodic.amount) == (1, 2, Decimal("220.00"))
    assert (periodic.families, periodic.persons_in_families) == (1, 3)
    purpose = by_key[("purpose", "own")]
    assert (purpose.persons, purpose.benefits, purpose.amount) == (1, 2, Decimal("110.00"))
    assert (purpose.families, purpose.persons_in_families) == (1, 3)
    total = report.total
    # persons 1, 2, 3; benefits 2 + 2 + 1; families 10 (3 persons) and 11 (1 person)
    assert (total.persons, total.benefits, total.amount) == (3, 5, Decimal("1330.00"))
    assert (total.families, total.persons_in_families) == (2, 4)
    assert [(r.reason, r.families, r.persons_in_families) for r in report.reasons] == [
        ("poverty", 1, 3),
        ("disability", 1, 3),
        ("disaster", 1, 1),
    ]


def test_empty():
    report = rules.mrpips03([])
    assert report.rows == []
    assert report.reasons == []
    assert report.total.persons == 0
    assert report.total.amount == Decimal("0.00")


rows_strategy = st.lists(
    st.builds(
        lambda pid, person, benefit, amount, month, reasons: row(
            pid, person, person % 4, 1 + person % 3, benefit, amount, month, reasons
        ),
        st.integers(1, 10_000),
        st.integers(1, 8),
        st.sampled_from(["periodic", "permanent", "purpose", "disaster"]),
        st.decimals(min_value=1, max_value=5000, places=2).map(str),
        st.integers(1, 12),
        st.lists(st.sampled_from(["poverty", "disability", "other"]), max_size=2),
    ),
    max_size=40,
    unique_by=lambda r: r.payment_id,
)


@given(rows_strategy)
def test_every_figure_equals_its_drill_down(rows):
    report = rules.mrpips03(rows)
    for r in [*report.rows, report.total]:
        for measure in rules.MEASURES:
            drill = rules.drill(rows, measure=measure, benefit=r.benefit, task=r.task)
            assert drill.figure == getattr(r, measure)
            if measure == "amount":
                assert sum((p.amount for p in drill.payments), Decimal(0)) == r.amount
            elif measure == "benefits":
                assert len(drill.payments) == r.benefits
            elif measure == "persons":
                assert len(drill.persons) == r.persons
            elif measure == "families":
                assert len(drill.families) == r.families
            else:
                assert sum(f.size for f in drill.families) == r.persons_in_families
    for reason in report.reasons:
        for measure in rules.REASON_MEASURES:
            drill = rules.drill(rows, measure=measure, reason=reason.reason)
            assert drill.figure == getattr(reason, measure)


@given(rows_strategy)
def test_totals_are_consistent(rows):
    report = rules.mrpips03(rows)
    assert report.total.amount == sum((r.amount for r in rows), Decimal("0.00"))
    assert report.total.benefits == sum(r.benefits for r in report.rows)
    assert report.total.persons == len({r.person_id for r in rows})
    assert report.total.persons <= sum(r.persons for r in report.rows)
    assert report.total.families <= sum(r.families for r in report.rows)
    # a benefit is never more than a payment
    for r in report.rows:
        assert r.persons <= r.benefits
