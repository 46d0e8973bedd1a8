"""Letters in Polish, Ukrainian and English: the PDF text is in the chosen language and names
the person; the generation is audited; only users who may see the person get one."""

import io
from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from gops.activities.tests.factories import make_activity
from gops.audit.models import AuditEntry
from gops.integration import letters
from gops.integration.letters import LetterDetails

from .factories import make_issued_decision

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


DECISION = {
    "pl": ["Pismo przewodnie do decyzji", "w terminie 14 dni od dnia jej doręczenia"],
    "uk": ["Супровідний лист до рішення", "протягом 14 днів з дня його отримання"],
    "en": ["Cover letter to the decision", "within 14 days of the day you receive it"],
}
INTERVIEW = {
    "pl": ["Zaproszenie na rodzinny wywiad środowiskowy", "Prosimy o przygotowanie"],
    "uk": ["сімейне обстеження за місцем проживання", "Просимо підготувати"],
    "en": ["Invitation to a community interview", "Please have ready"],
}
ACTIVITY = {
    "pl": ["serdecznie zapraszamy", "Prosimy o potwierdzenie udziału"],
    "uk": ["Щиро запрошуємо", "Просимо підтвердити участь"],
    "en": ["We warmly invite", "Please confirm your participation"],
}
# A sentence of each language that must not appear in the others.
MARKERS = {"pl": "Z poważaniem", "uk": "З повагою", "en": "Yours faithfully"}


def _assert_language(text: str, language: str, expected: list[str], person) -> None:
    for sentence in expected:
        assert sentence in text, (language, sentence, text)
    assert f"{person.first_names} {person.surnames}" in text
    assert MARKERS[language] in text
    for other, marker in MARKERS.items():
        if other != language:
            assert marker not in text


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
def test_the_decision_cover_letter_in_three_languages(worker_a, refugee, language):
    decision = make_issued_decision(actor=worker_a, person=refugee)
    pdf = letters.letter_generate(
        actor=worker_a,
        person=refugee,
        kind="decision",
        language=language,
        details=LetterDetails(decision=decision),
    )
    text = pdf_text(pdf)
    _assert_language(text, language, DECISION[language], refugee)
    assert "OPS.8100.7.2025" in text
    assert "05.06.2025" in text
    assert refugee.centre.name in text  # stays as registered
    entry = AuditEntry.objects.get(action="view", person_id=refugee.pk)
    assert entry.object_type == "benefits.decision"


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
def test_the_interview_invitation_in_three_languages(worker_a, refugee, language):
    pdf = letters.letter_generate(
        actor=worker_a,
        person=refugee,
        kind="interview",
        language=language,
        details=LetterDetails(
            interview_on=date(2025, 6, 17),
            interview_at=time(10, 30),
            place="ul. Lipowa 7, 00-001 Testowo",
            worker=worker_a,
            bring=("identity", "income"),
        ),
    )
    text = pdf_text(pdf)
    _assert_language(text, language, INTERVIEW[language], refugee)
    assert "17.06.2025" in text
    assert "10:30" in text
    assert worker_a.get_full_name() in text
    assert letters.BRING_TEXT[language]["identity"] in text


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
def test_the_activity_invitation_in_three_languages(worker_a, head, refugee, language):
    activity = make_activity(
        actor=head, title="Warsztaty kulinarne", place="Świetlica, ul. Polna 1"
    )
    pdf = letters.letter_generate(
        actor=worker_a,
        person=refugee,
        kind="activity",
        language=language,
        details=LetterDetails(activity=activity),
    )
    text = pdf_text(pdf)
    _assert_language(text, language, ACTIVITY[language], refugee)
    assert "Warsztaty kulinarne" in text
    assert "Świetlica, ul. Polna 1" in text
    assert "12.06.2025" in text  # the session two days ahead


def test_the_language_defaults_to_the_persons_language_of_letters(worker_a, refugee):
    assert refugee.letter_language == "en"
    decision = make_issued_decision(actor=worker_a, person=refugee)
    text = pdf_text(
        letters.letter_generate(
            actor=worker_a,
            person=refugee,
            kind="decision",
            details=LetterDetails(decision=decision),
        )
    )
    assert "How to appeal" in text


def test_a_decision_of_another_person_or_a_draft_is_refused(worker_a, refugee, district_a):
    from gops.people.tests.factories import make_person

    other = make_person(actor=worker_a, district=district_a)
    decision = make_issued_decision(actor=worker_a, person=other)
    with pytest.raises(ValidationError) as exc:
        letters.letter_generate(
            actor=worker_a,
            person=refugee,
            kind="decision",
            language="pl",
            details=LetterDetails(decision=decision),
        )
    assert "decision" in exc.value.message_dict


def test_an_interview_invitation_needs_the_date_time_place_and_worker(worker_a, refugee):
    with pytest.raises(ValidationError) as exc:
        letters.letter_generate(
            actor=worker_a,
            person=refugee,
            kind="interview",
            language="uk",
            details=LetterDetails(),
        )
    assert set(exc.value.message_dict) == {"interview_on", "interview_at", "place", "worker"}
    assert not AuditEntry.objects.filter(action="view").exists()


def test_users_who_may_not_see_the_person_get_no_letter(worker_b, finance, refugee):
    for user in (worker_b, finance):  # another district; finance may not see applications
        with pytest.raises(PermissionDenied):
            letters.letter_generate(
                actor=user,
                person=refugee,
                kind="interview",
                language="pl",
                details=LetterDetails(),
            )


def test_ukrainian_and_polish_letters_use_the_dejavu_fonts_only(worker_a, refugee):
    """DejaVu covers Polish and Cyrillic; no fallback font means no missing glyphs."""
    pdf = letters.letter_generate(
        actor=worker_a,
        person=refugee,
        kind="interview",
        language="uk",
        details=LetterDetails(
            interview_on=date(2025, 6, 17),
            interview_at=time(9, 0),
            place="ul. Łąkowa 5, 00-001 Testowo",
            worker=worker_a,
            bring=("protection",),
            bring_other="довідка з місця роботи",
        ),
    )
    reader = PdfReader(io.BytesIO(pdf))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts
    assert all("DejaVu" in name for name in fonts), fonts
    text = pdf_text(pdf)
    assert "ul. Łąkowa 5" in text
    assert "довідка з місця роботи" in text
