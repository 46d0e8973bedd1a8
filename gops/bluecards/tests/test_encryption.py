"""The free text is encrypted at rest, and rotating the key is one command (reencrypt_fields,
which rotates every encrypted column of the project: gops/core/tests/test_field_encryption.py)."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from gops.bluecards import services
from gops.bluecards.models import BlueCard, BlueCardForm, BlueCardMeeting
from gops.core.encryption import forget_derived_keys

from .conftest import TODAY
from .factories import CIRCUMSTANCES

pytestmark = pytest.mark.django_db

MINUTES = "Protokół: ustalono plan pomocy, konsultacja psychologiczna (testowe)"
CONTENT_D = "Formularz D: rozmowa z osobą stosującą przemoc (testowe)"
NOTE = "Zamknięcie: zakończenie przemocy i realizacja planu (testowe)"
OLD_KEY = "stary-klucz-testowy-0000000000000000000000"
NEW_KEY = "nowy-klucz-testowy-1111111111111111111111"


@pytest.fixture(autouse=True)
def derived_keys_follow_the_settings():
    forget_derived_keys()
    yield
    forget_derived_keys()


@pytest.fixture
def written(worker_a, card, family):
    card = services.blue_card_update(
        actor=worker_a,
        blue_card=card,
        circumstances=CIRCUMSTANCES,
        sent_to_team_on=TODAY,
        group_received_on=TODAY,
    )
    services.blue_card_form_record(
        actor=worker_a,
        blue_card=card,
        kind="D",
        participant=card.participants.get(person=family["man"]),
        filled_on=TODAY,
        content=CONTENT_D,
    )
    services.blue_card_meeting_record(
        actor=worker_a, blue_card=card, held_on=TODAY, attendees="ZI", minutes=MINUTES
    )
    services.blue_card_close(
        actor=worker_a, blue_card=card, closed_on=TODAY, reason="violence_ended", note=NOTE
    )
    return card


def _raw(table: str, column: str) -> list[str]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(column)} FROM {quote(table)} WHERE {quote(column)} <> ''")
        return [row[0] for row in cursor.fetchall()]


def _all_raw() -> list[str]:
    return [
        *_raw("bluecards_bluecard", "circumstances"),
        *_raw("bluecards_bluecard", "closing_note"),
        *_raw("bluecards_bluecardform", "content"),
        *_raw("bluecards_bluecardmeeting", "minutes"),
    ]


def test_the_encrypted_columns_hold_no_plain_text(written):
    stored = _all_raw()
    assert len(stored) == 4
    for value in stored:
        assert value.startswith("gAAAAA")  # a Fernet token
        for plain in (CIRCUMSTANCES, MINUTES, CONTENT_D, NOTE, "Awantura", "Protok", "testowe"):
            assert plain not in value
    # ... and the application reads them back.
    card = BlueCard.objects.get(pk=written.pk)
    assert (card.circumstances, card.closing_note) == (CIRCUMSTANCES, NOTE)
    assert BlueCardForm.objects.get(kind="D").content == CONTENT_D
    assert BlueCardMeeting.objects.get().minutes == MINUTES


def test_rotating_the_key_is_one_command(settings, written):
    # The rows were written with the test run's key; first move them all under OLD_KEY.
    with override_settings(SALT_KEY=[OLD_KEY, *settings.SALT_KEY]):
        forget_derived_keys()
        call_command("reencrypt_fields")
        under_old = _all_raw()
    with override_settings(SALT_KEY=[OLD_KEY]):
        forget_derived_keys()
        call_command("reencrypt_fields", "--check")

    # Rotation: the new key first, the old one kept until every row is re-saved.
    with override_settings(SALT_KEY=[NEW_KEY, OLD_KEY]):
        forget_derived_keys()
        with pytest.raises(CommandError):
            call_command("reencrypt_fields", "--check")
        call_command("reencrypt_fields")
        after = _all_raw()
        call_command("reencrypt_fields", "--check")

    assert all(a != b for a, b in zip(after, under_old, strict=True))
    with override_settings(SALT_KEY=[NEW_KEY]):
        forget_derived_keys()
        card = BlueCard.objects.get(pk=written.pk)
        assert card.circumstances == CIRCUMSTANCES
        assert card.closing_note == NOTE
        assert BlueCardMeeting.objects.get().minutes == MINUTES
        assert BlueCardForm.objects.get(kind="D").content == CONTENT_D
    with override_settings(SALT_KEY=[OLD_KEY]):
        forget_derived_keys()
        # The old key alone no longer opens anything: the library then hands back the token.
        assert BlueCard.objects.get(pk=written.pk).circumstances != CIRCUMSTANCES


def test_a_value_no_key_opens_stops_the_command_and_nothing_changes(written):
    with override_settings(SALT_KEY=[NEW_KEY]):
        forget_derived_keys()
        stored = _all_raw()
        with pytest.raises(CommandError, match="cannot be decrypted"):
            call_command("reencrypt_fields")
        assert _all_raw() == stored
