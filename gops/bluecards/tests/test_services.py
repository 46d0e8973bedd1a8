"""Writes of the procedure: opening, numbering, the steps and their deadlines, forms, members,
meetings and closing; bad input leaves nothing half-written; the audit holds no secrets."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gops.audit.models import AuditEntry
from gops.bluecards import selectors, services
from gops.bluecards.models import (
    BlueCard,
    BlueCardForm,
    BlueCardMeeting,
    BlueCardMember,
    BlueCardParticipant,
)

from .conftest import TODAY
from .factories import CIRCUMSTANCES, open_card

pytestmark = pytest.mark.django_db


def _counts():
    return [
        m.objects.count()
        for m in (
            BlueCard,
            BlueCardParticipant,
            BlueCardForm,
            BlueCardMember,
            BlueCardMeeting,
            AuditEntry,
        )
    ]


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


def test_opening_numbers_the_card_records_form_a_and_makes_the_opener_a_member(card, worker_a):
    assert re.fullmatch(r"NK/2025/[A-Z2-9]{6}", card.number)
    assert card.status == "open"
    assert list(card.forms.values_list("kind", flat=True)) == ["A"]
    assert sorted(card.participants.values_list("role", flat=True)) == [
        "child_witness",
        "experiencing",
        "using",
    ]
    member = card.members.get()
    assert member.user == worker_a
    assert member.removed_on is None


def test_numbers_carry_the_year_and_do_not_count_the_cards(worker_a, family):
    first = open_card(actor=worker_a, family=family, opened_on=TODAY)
    second = open_card(actor=worker_a, family=family, opened_on=TODAY - timedelta(days=3))
    older = open_card(actor=worker_a, family=family, opened_on=date(2024, 12, 30))
    assert first.number.startswith("NK/2025/")
    assert second.number.startswith("NK/2025/")
    assert older.number.startswith("NK/2024/")
    # Random suffixes: a new card does not reveal how many cards exist.
    assert len({first.number, second.number}) == 2
    assert not first.number.endswith("0001")


def test_a_family_assistant_may_open_a_card_but_finance_may_not(assistant, finance, family):
    with pytest.raises(ValidationError):
        # The assistant sees no one of district A in the registry: the persons are unknown.
        open_card(actor=assistant, family=family, opened_on=TODAY)
    with pytest.raises(PermissionDenied):
        open_card(actor=finance, family=family, opened_on=TODAY)


def test_the_audit_has_neither_the_text_nor_a_name(card):
    entries = AuditEntry.objects.filter(object_type__startswith="bluecards.")
    assert entries.filter(object_type="bluecards.bluecard", action="create").exists()
    dump = " ".join(f"{e.object_repr} {e.changes}" for e in entries)
    assert "Awantura" not in dump
    assert "Zawadz" not in dump
    assert "Beata" not in dump
    assert "[encrypted]" in dump


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"opened_on": TODAY + timedelta(days=1)}, "opened_on"),
        ({"sent_to_team_on": TODAY - timedelta(days=1)}, "sent_to_team_on"),
        ({"sent_to_team_on": TODAY + timedelta(days=1)}, "sent_to_team_on"),
        ({"circumstances": "  "}, "circumstances"),
        ({"using": []}, "participants"),
        ({"experiencing": []}, "participants"),
    ],
)
def test_bad_form_a_is_refused_and_nothing_is_written(worker_a, family, changes, field):
    before = _counts()
    with pytest.raises(ValidationError) as excinfo:
        open_card(actor=worker_a, family=family, **{"opened_on": TODAY, **changes})
    assert field in _errors(excinfo)
    assert _counts() == before


def test_a_person_in_two_roles_or_an_adult_child_witness_is_refused(worker_a, family):
    with pytest.raises(ValidationError) as excinfo:
        open_card(actor=worker_a, family=family, opened_on=TODAY, using=[family["woman"]])
    assert "participants" in _errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        open_card(actor=worker_a, family=family, opened_on=TODAY, child_witnesses=[family["man"]])
    assert "under 18" in str(_errors(excinfo)["participants"])


def test_a_person_the_worker_cannot_see_cannot_be_named(worker_a, worker_b, family, district_b):
    from .factories import make_person, pesel

    stranger = make_person(
        actor=worker_b,
        district=district_b,
        first_names="Ewa",
        surnames="Obca",
        pesel=pesel("7001010044"),
    )
    before = _counts()
    with pytest.raises(ValidationError) as excinfo:
        open_card(actor=worker_a, family=family, opened_on=TODAY, experiencing=[stranger])
    assert "participants" in _errors(excinfo)
    assert _counts() == before


def test_the_steps_and_their_deadlines(worker_a, family):
    card = open_card(actor=worker_a, family=family, opened_on=date(2025, 5, 26))
    states = selectors.blue_card_deadlines(blue_card=card, today=TODAY)
    # 5 working days from Monday 26 May: 2 June; nothing sent by 10 June.
    assert states[0].due_on == date(2025, 6, 2)
    assert states[0].overdue
    assert states[1].due_on is None
    assert not states[1].overdue
    card = services.blue_card_update(
        actor=worker_a,
        blue_card=card,
        circumstances=CIRCUMSTANCES,
        team_name="ZI",
        sent_to_team_on=date(2025, 6, 3),
        group_received_on=date(2025, 6, 4),
    )
    states = selectors.blue_card_deadlines(blue_card=card, today=TODAY)
    assert states[0].late
    assert not states[0].overdue
    assert states[1].due_on == date(2025, 6, 6)
    assert not states[1].late
    assert states[2].due_on == date(2025, 6, 11)
    assert not states[2].overdue
    services.blue_card_meeting_record(
        actor=worker_a, blue_card=card, held_on=date(2025, 6, 9), attendees="ZI", minutes="x"
    )
    card = BlueCard.objects.get(pk=card.pk)
    states = selectors.blue_card_deadlines(blue_card=card, today=date(2025, 6, 30))
    assert states[2].done_on == date(2025, 6, 9)
    assert not states[2].overdue


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sent_to_team_on": TODAY + timedelta(days=1)}, "sent_to_team_on"),
        ({"sent_to_team_on": TODAY - timedelta(days=30)}, "sent_to_team_on"),
        ({"sent_to_team_on": None, "group_received_on": TODAY}, "group_received_on"),
        ({"group_received_on": TODAY - timedelta(days=3)}, "group_received_on"),
    ],
)
def test_bad_steps_are_refused(worker_a, family, changes, field):
    card = open_card(actor=worker_a, family=family, opened_on=TODAY - timedelta(days=2))
    data = dict(
        circumstances=CIRCUMSTANCES,
        sent_to_team_on=TODAY - timedelta(days=1),
        group_received_on=None,
    )
    data.update(changes)
    with pytest.raises(ValidationError) as excinfo:
        services.blue_card_update(actor=worker_a, blue_card=card, **data)
    assert field in _errors(excinfo)
    card.refresh_from_db()
    assert card.sent_to_team_on is None


@pytest.fixture
def card_at_group(worker_a, family):
    card = open_card(actor=worker_a, family=family, opened_on=TODAY - timedelta(days=7))
    return services.blue_card_update(
        actor=worker_a,
        blue_card=card,
        circumstances=CIRCUMSTANCES,
        sent_to_team_on=TODAY - timedelta(days=6),
        group_received_on=TODAY - timedelta(days=5),
    )


def test_a_meeting_cannot_be_planned_for_a_past_day(worker_a, card_at_group):
    with pytest.raises(ValidationError) as excinfo:
        services.blue_card_meeting_plan(
            actor=worker_a, blue_card=card_at_group, planned_on=TODAY - timedelta(days=1)
        )
    assert "planned_on" in _errors(excinfo)
    assert not BlueCardMeeting.objects.exists()
    meeting = services.blue_card_meeting_plan(
        actor=worker_a, blue_card=card_at_group, planned_on=TODAY + timedelta(days=2)
    )
    with pytest.raises(ValidationError) as excinfo:
        services.blue_card_meeting_record(
            actor=worker_a,
            blue_card=card_at_group,
            meeting=meeting,
            held_on=TODAY + timedelta(days=2),
        )
    assert "held_on" in _errors(excinfo)


def test_a_meeting_needs_the_group_to_have_the_card(worker_a, card):
    with pytest.raises(ValidationError):
        services.blue_card_meeting_plan(actor=worker_a, blue_card=card, planned_on=TODAY)


def test_forms_c_and_d_are_filled_by_the_group_with_the_right_person(worker_a, card, family):
    woman = card.participants.get(person=family["woman"])
    man = card.participants.get(person=family["man"])
    form_b = services.blue_card_form_record(
        actor=worker_a, blue_card=card, kind="B", participant=woman, filled_on=TODAY
    )
    assert form_b.kind == "B"
    with pytest.raises(ValidationError) as excinfo:
        services.blue_card_form_record(
            actor=worker_a, blue_card=card, kind="C", participant=woman, filled_on=TODAY
        )
    assert "kind" in _errors(excinfo)
    card = services.blue_card_update(
        actor=worker_a,
        blue_card=card,
        circumstances=CIRCUMSTANCES,
        sent_to_team_on=TODAY,
        group_received_on=TODAY,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.blue_card_form_record(
            actor=worker_a, blue_card=card, kind="D", participant=woman, filled_on=TODAY
        )
    assert "participant" in _errors(excinfo)
    form_d = services.blue_card_form_record(
        actor=worker_a,
        blue_card=card,
        kind="D",
        participant=man,
        filled_on=TODAY,
        content="Tekst D",
    )
    assert BlueCardForm.objects.get(pk=form_d.pk).content == "Tekst D"
    with pytest.raises(ValidationError) as excinfo:
        services.blue_card_form_record(
            actor=worker_a,
            blue_card=card,
            kind="C",
            participant=woman,
            filled_on=TODAY + timedelta(days=1),
        )
    assert "filled_on" in _errors(excinfo)


def test_closing_needs_a_reason_and_then_the_card_is_frozen(worker_a, card):
    with pytest.raises(ValidationError) as excinfo:
        services.blue_card_close(actor=worker_a, blue_card=card, closed_on=TODAY, reason="")
    assert "reason" in _errors(excinfo)
    card.refresh_from_db()
    assert card.status == "open"
    with pytest.raises(ValidationError) as excinfo:
        services.blue_card_close(
            actor=worker_a,
            blue_card=card,
            closed_on=TODAY + timedelta(days=1),
            reason="no_grounds",
        )
    assert "closed_on" in _errors(excinfo)
    services.blue_card_close(
        actor=worker_a, blue_card=card, closed_on=TODAY, reason="no_grounds", note="Brak podstaw"
    )
    card.refresh_from_db()
    assert (card.status, card.closing_reason, card.closing_note) == (
        "closed",
        "no_grounds",
        "Brak podstaw",
    )
    with pytest.raises(ValidationError):
        services.blue_card_update(actor=worker_a, blue_card=card, circumstances="nowy")


def test_members_staff_and_external_and_removal(worker_a, assistant, finance, card):
    staff = services.blue_card_member_add(actor=worker_a, blue_card=card, user=assistant)
    assert staff.name == assistant.get_full_name()
    assert selectors.blue_card_queryset_for_user(user=assistant).filter(pk=card.pk).exists()
    with pytest.raises(ValidationError) as excinfo:
        services.blue_card_member_add(actor=worker_a, blue_card=card, user=assistant)
    assert "user" in _errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.blue_card_member_add(actor=worker_a, blue_card=card, user=finance)
    assert "user" in _errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.blue_card_member_add(actor=worker_a, blue_card=card, name="asp. Nowak")
    assert "institution" in _errors(excinfo)
    police = services.blue_card_member_add(
        actor=worker_a,
        blue_card=card,
        name="asp. Jan Nowak",
        institution="Komenda Powiatowa Policji",
        function="dzielnicowy",
    )
    assert police.user is None
    services.blue_card_member_remove(actor=worker_a, member=staff)
    assert not selectors.blue_card_queryset_for_user(user=assistant).filter(pk=card.pk).exists()
    # The assistant may add the card back only through a member: now it is a stranger's card.
    with pytest.raises(PermissionDenied):
        services.blue_card_member_add(actor=assistant, blue_card=card, user=assistant)
    own = card.members.get(user=worker_a)
    with pytest.raises(ValidationError):
        services.blue_card_member_remove(actor=worker_a, member=own)


def test_a_non_member_cannot_write_to_a_card(worker_b, card):
    with pytest.raises(PermissionDenied):
        services.blue_card_close(
            actor=worker_b, blue_card=card, closed_on=TODAY, reason="no_grounds"
        )


def test_the_head_may_write_to_any_card_of_the_centre(head, card):
    services.blue_card_close(actor=head, blue_card=card, closed_on=TODAY, reason="no_grounds")
    card.refresh_from_db()
    assert card.status == "closed"


def test_a_participant_added_later(worker_a, card, district_a):
    from .factories import make_person, pesel

    grandmother = make_person(
        actor=worker_a,
        district=district_a,
        first_names="Halina",
        surnames="Zawadzka",
        pesel=pesel("5002020046"),
    )
    participant = services.blue_card_participant_add(
        actor=worker_a, blue_card=card, person=grandmother, role="experiencing"
    )
    assert participant.role == "experiencing"
    with pytest.raises(ValidationError) as excinfo:
        services.blue_card_participant_add(
            actor=worker_a, blue_card=card, person=grandmother, role="using"
        )
    assert "person" in _errors(excinfo)
