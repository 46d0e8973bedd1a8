"""The data-subject access report (RODO art. 15): everything held about one person, and every
access to their file, as a PDF in Polish.

Blue Card records (gops.bluecards) are never included: under the act on countering domestic
violence the data of a procedure may have to be withheld from the person using violence, so
the head deals with any request for them separately (docs/ochrona-danych.md). For the same
reason audit entries about Blue Card objects are left out of the access list.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, BinaryIO

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from gops.people.models import Person

BLUE_CARD_OBJECTS = "bluecards."


@dataclass
class Section:
    title: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    # Longer texts (notes) shown under the table: (heading, text).
    texts: list[tuple[str, str]] = field(default_factory=list)
    empty: str = "Brak danych."


def _fmt(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        return f"{value:.2f} zł".replace(".", ",")
    return str(value)


def _user(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.username


def _person_section(person: Person) -> Section:
    rows = []
    for f in Person._meta.concrete_fields:
        if f.name in ("id", "centre", "created_by", "updated_by") or not f.editable:
            continue
        value = getattr(person, f.name)
        if f.choices:
            value = getattr(person, f"get_{f.name}_display")()
        elif f.is_relation:
            value = str(value) if value is not None else None
        rows.append([str(f.verbose_name), _fmt(value)])
    rows.append(["utworzono w systemie", _fmt(person.created_at)])
    rows.append(["ostatnia zmiana", _fmt(person.updated_at)])
    return Section("1. Dane osoby", ["dana", "wartość"], rows)


def _households_section(person: Person) -> Section:
    rows = []
    for m in person.memberships.select_related("household").order_by("joined_on", "id"):
        rows.append(
            [
                f"nr {m.household_id}",
                m.get_relation_display(),
                _fmt(m.joined_on),
                _fmt(m.left_on),
            ]
        )
    return Section("2. Gospodarstwa domowe", ["gospodarstwo", "pokrewieństwo", "od", "do"], rows)


def _incomes_section(person: Person) -> Section:
    rows = [
        [
            i.month.strftime("%m.%Y"),
            i.get_source_display(),
            _fmt(i.net_amount),
            _fmt(i.counts_as_income),
            _fmt(i.note),
        ]
        for i in person.incomes.order_by("month", "id")
    ]
    return Section("3. Dochody", ["miesiąc", "źródło", "netto", "wliczany", "uwagi"], rows)


def _applications_section(person: Person) -> Section:
    from gops.cases.models import Application, CaseNote, CommunityInterview

    applications = list(
        Application.objects.filter(Q(applicant=person) | Q(household__memberships__person=person))
        .distinct()
        .select_related("worker")
        .order_by("received_on", "id")
    )
    section = Section(
        "4. Wnioski, wywiady środowiskowe i notatki",
        ["numer", "wpłynął", "wnioskodawca", "o co", "status", "pracownik"],
    )
    for a in applications:
        section.rows.append(
            [
                a.number,
                _fmt(a.received_on),
                "ta osoba" if a.applicant_id == person.pk else "członek gospodarstwa",
                ", ".join(a.get_benefits_display()) or "—",
                a.get_status_display(),
                _user(a.worker),
            ]
        )
        if a.applicant_id == person.pk:
            if a.description:
                section.texts.append((f"Wniosek {a.number}: opis", a.description))
            if a.closed_reason:
                section.texts.append((f"Wniosek {a.number}: powód zamknięcia", a.closed_reason))
    interviews = (
        CommunityInterview.objects.filter(
            Q(application__in=applications) | Q(household__memberships__person=person)
        )
        .distinct()
        .order_by("due_on", "id")
    )
    for i in interviews:
        label = f"Wywiad {i.get_kind_display()} z {_fmt(i.conducted_on or i.due_on)}"
        for name in (
            "needs",
            "diagnosis",
            "help_plan",
            "material_situation",
            "health",
            "work_and_education",
            "housing",
        ):
            text = getattr(i, name)
            if text:
                section.texts.append(
                    (f"{label}: {CommunityInterview._meta.get_field(name).verbose_name}", text)
                )
    for note in (
        CaseNote.objects.filter(person=person).select_related("author").order_by("created_at", "id")
    ):
        if note.text:
            section.texts.append(
                (f"Notatka z {_fmt(note.created_at)} ({_user(note.author)})", note.text)
            )
    _contract_texts(person, section)
    return section


def _contract_texts(person: Person, section: Section) -> None:
    """Kontrakty socjalne (u.p.s. art. 108) the person signed, with their reviews."""
    from gops.cases.models import SocialContract

    fields = ("situation", "goals", "person_obligations", "centre_obligations", "outcome")
    for contract in (
        SocialContract.objects.filter(person=person)
        .prefetch_related("reviews")
        .order_by("signed_on", "id")
    ):
        heading = (
            f"Kontrakt socjalny z {_fmt(contract.signed_on)} "
            f"({_fmt(contract.valid_from)}–{_fmt(contract.valid_until)}, "
            f"{contract.get_status_display()})"
        )
        for name in fields:
            if text := getattr(contract, name):
                label = SocialContract._meta.get_field(name).verbose_name
                section.texts.append((f"{heading}: {label}", text))
        for review in contract.reviews.all():
            if review.notes:
                section.texts.append(
                    (f"{heading}: ocena z {_fmt(review.reviewed_on)}", review.notes)
                )


def _decisions_section(person: Person) -> Section:
    from gops.benefits.models import Decision, DecisionStatus
    from gops.cases.models import BenefitKind

    labels = dict(BenefitKind.choices)
    rows = [
        [
            d.number or "—",
            d.get_kind_display(),
            str(labels.get(d.benefit, d.benefit)),
            _fmt(d.amount),
            f"{_fmt(d.period_from)} – {_fmt(d.period_until)}",
            _fmt(d.issued_on),
        ]
        for d in Decision.objects.filter(person=person, status=DecisionStatus.ISSUED).order_by(
            "issued_on", "id"
        )
    ]
    return Section(
        "5. Decyzje", ["numer", "rodzaj", "świadczenie", "kwota", "okres", "wydana"], rows
    )


def _payments_section(person: Person) -> Section:
    from gops.payments.models import Payment

    rows = [
        [
            p.item.month.strftime("%m.%Y"),
            _fmt(p.amount),
            p.get_method_display(),
            p.get_status_display(),
            _fmt(p.paid_on),
        ]
        for p in Payment.objects.filter(person=person)
        .select_related("item")
        .order_by("item__month", "id")
    ]
    return Section("6. Wypłaty", ["za miesiąc", "kwota", "forma", "status", "wypłacono"], rows)


def _shelter_section(person: Person) -> Section:
    from gops.shelter.models import HomelessnessExitPlan, Placement

    section = Section("7. Schronienie", ["placówka", "przyjęcie", "wypisanie", "powód wypisania"])
    for p in (
        Placement.objects.filter(person=person)
        .select_related("facility")
        .order_by("check_in", "id")
    ):
        section.rows.append(
            [
                p.facility.name,
                _fmt(p.check_in),
                _fmt(p.check_out),
                p.get_checkout_reason_display() if p.checkout_reason else "—",
            ]
        )
    for plan in HomelessnessExitPlan.objects.filter(person=person).order_by("agreed_on", "id"):
        section.texts.append(
            (f"Program wychodzenia z bezdomności z {_fmt(plan.agreed_on)}", plan.goals)
        )
    return section


def _referrals_section(person: Person) -> Section:
    from gops.referrals.models import Advice, Referral

    section = Section("8. Poradnictwo i skierowania", ["data", "rodzaj", "instytucja", "stan"])
    for r in (
        Referral.objects.filter(person=person)
        .select_related("institution")
        .order_by("created_at", "id")
    ):
        section.rows.append(
            [
                _fmt(r.created_at.date()),
                r.get_kind_display(),
                r.institution.name,
                r.get_state_display(),
            ]
        )
        section.texts.append((f"Skierowanie do {r.institution.name}: cel", r.purpose))
    for a in Advice.objects.filter(person=person).order_by("given_on", "id"):
        section.rows.append([_fmt(a.given_on), "poradnictwo", a.topic, "—"])
        if a.notes:
            section.texts.append((f"Poradnictwo z {_fmt(a.given_on)}: {a.topic}", a.notes))
    return section


def _activities_section(person: Person) -> Section:
    from gops.activities.models import Registration

    rows = [
        [r.activity.title, r.get_status_display(), _fmt(r.created_at), _fmt(r.cancelled_at)]
        for r in Registration.objects.filter(person=person)
        .select_related("activity")
        .order_by("created_at", "id")
    ]
    return Section("9. Zajęcia", ["zajęcia", "status", "zapisano", "rezygnacja"], rows)


def _families_section(person: Person) -> Section:
    from gops.families.models import FamilySupport

    household_ids = person.memberships.values_list("household_id", flat=True)
    rows = [
        [
            f"nr {s.household_id}",
            _user(s.assistant),
            _fmt(s.started_on),
            _fmt(s.closed_on),
            s.get_status_display(),
        ]
        for s in FamilySupport.objects.filter(household_id__in=household_ids)
        .select_related("assistant")
        .order_by("started_on", "id")
    ]
    return Section(
        "10. Wspieranie rodziny (asystent rodziny)",
        ["rodzina", "asystent", "od", "do", "status"],
        rows,
    )


def _integration_section(person: Person) -> Section:
    from gops.integration.models import IntegrationProgramme

    rows = [
        [p.get_kind_display(), _fmt(p.starts_on), _fmt(p.ends_on), p.get_status_display()]
        for p in IntegrationProgramme.objects.filter(person=person).order_by("starts_on", "id")
    ]
    return Section("11. Programy integracji cudzoziemców", ["rodzaj", "od", "do", "status"], rows)


def _access_section(person: Person) -> Section:
    from gops.audit.models import AuditEntry

    rows = [
        [
            _fmt(e.at),
            e.actor_username or "—",
            e.get_action_display(),
            e.object_repr or e.object_type or "—",
            e.ip or "—",
        ]
        for e in AuditEntry.objects.filter(person_id=person.pk)
        .exclude(object_type__startswith=BLUE_CARD_OBJECTS)
        .order_by("at", "id")
    ]
    return Section(
        "12. Dostęp do danych (kto, kiedy, co, z jakiego adresu IP)",
        ["kiedy", "użytkownik", "czynność", "czego dotyczyło", "adres IP"],
        rows,
    )


SECTIONS: list[Callable[[Person], Section]] = [
    _person_section,
    _households_section,
    _incomes_section,
    _applications_section,
    _decisions_section,
    _payments_section,
    _shelter_section,
    _referrals_section,
    _activities_section,
    _families_section,
    _integration_section,
    _access_section,
]


def access_report_sections(person: Person, progress=None) -> list[Section]:
    total = len(SECTIONS) + 1  # the last step is the PDF itself
    sections = []
    with translation.override("pl"):
        for done, build in enumerate(SECTIONS, start=1):
            sections.append(build(person))
            if progress is not None:
                progress(done, total)
    return sections


def access_report_pdf(*, person: Person, requested_by, out: BinaryIO, progress=None) -> None:
    from weasyprint import HTML

    sections = access_report_sections(person, progress)
    with translation.override("pl"):
        html = render_to_string(
            "dataprotection/access_report_pdf.html",
            {
                "person": person,
                "centre": person.centre,
                "sections": sections,
                "requested_by": _user(requested_by),
                "generated_at": _fmt(timezone.now()),
            },
        )
    HTML(string=html).write_pdf(out)
    if progress is not None:
        progress(len(SECTIONS) + 1, len(SECTIONS) + 1)
