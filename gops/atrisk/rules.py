"""The conditions of the lists as pure functions over plain values (no database).

Reasons are Polish: they are shown to staff as written at computation.
"""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from gops.cases.rules import add_months, interview_update_due

# How far back a payment still counts as help received (list 1).
PAYMENT_LOOKBACK_MONTHS = 3
# How many days before the interview update is due the person is listed (list 2).
INTERVIEW_WARNING_DAYS = 30
# Default number of nights without a shelter record for a homeless person (list 4).
HOMELESS_UNSEEN_NIGHTS = 3
# Winter for list 4: November to March.
WINTER_MONTHS = frozenset({11, 12, 1, 2, 3})
ADULT_AGE = 18

CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money_pl(value: Decimal) -> str:
    """`1234.5` → "1234,50 zł"."""
    return f"{money(value):.2f}".replace(".", ",") + " zł"


# --- List 1: income below the criterion, no help ---------------------------------------------


def income_per_person(*, total: Decimal, persons: int) -> Decimal:
    if persons < 1:
        raise ValueError("A household has at least one person.")
    return money(Decimal(total) / persons)


def criterion_for(*, persons: int, single: Decimal, per_person: Decimal) -> Decimal:
    """Art. 8 ust. 1: the single person's criterion, or the per-person one in a family."""
    return single if persons == 1 else per_person


def within_income_criterion(*, per_person_income: Decimal, criterion: Decimal) -> bool:
    """Art. 8 ust. 1: entitled when the income does not exceed the criterion."""
    return per_person_income <= criterion


def payment_window_start(today: date) -> date:
    return add_months(today, -PAYMENT_LOOKBACK_MONTHS)


def gets_no_help(*, has_decision_in_force: bool, last_payment_on: date | None, today: date) -> bool:
    if has_decision_in_force:
        return False
    return last_payment_on is None or last_payment_on < payment_window_start(today)


def decision_in_force(
    *,
    period_from: date | None,
    period_until: date | None,
    issued_on: date | None,
    today: date,
) -> bool:
    """An issued granting decision is in force on `today` within its period; a one-off one
    (no period) counts for the payment window after its issue."""
    if period_from is None and period_until is None:
        return issued_on is not None and payment_window_start(today) <= issued_on <= today
    if period_from is not None and period_from > today:
        return False
    return period_until is None or period_until >= today


def low_income_reason(
    *, per_person_income: Decimal, criterion: Decimal, persons: int, month: date
) -> str:
    who = "osoby samotnie gospodarującej" if persons == 1 else "na osobę w rodzinie"
    return (
        f"Dochód na osobę {money_pl(per_person_income)} (miesiąc {month:%m.%Y}, "
        f"osób w gospodarstwie: {persons}) nie przekracza kryterium dochodowego {who} "
        f"{money_pl(criterion)}; brak decyzji przyznającej świadczenie w mocy i brak wypłat "
        f"w ostatnich {PAYMENT_LOOKBACK_MONTHS} miesiącach."
    )


# --- List 2: interview update of permanent-allowance recipients ----------------------------


def interview_update_listed(
    *, last_interview_on: date | None, today: date, warning_days: int = INTERVIEW_WARNING_DAYS
) -> tuple[bool, date | None]:
    """Whether the 6-monthly update is due within `warning_days` or overdue, and when it is
    due (None when no interview was ever done: due at once)."""
    if last_interview_on is None:
        return True, None
    due = interview_update_due(last_interview_on=last_interview_on)
    return due <= today + timedelta(days=warning_days), due


def interview_update_reason(
    *, last_interview_on: date | None, due: date | None, today: date
) -> str:
    if last_interview_on is None or due is None:
        return (
            "Osoba pobiera zasiłek stały, a nie odnotowano przeprowadzonego wywiadu "
            "środowiskowego: aktualizacja wywiadu jest wymagana (co najmniej co 6 miesięcy)."
        )
    if due < today:
        return (
            f"Aktualizacja wywiadu środowiskowego (zasiłek stały, co 6 miesięcy) zaległa od "
            f"{due:%d.%m.%Y}; ostatni wywiad {last_interview_on:%d.%m.%Y}."
        )
    return (
        f"Aktualizacja wywiadu środowiskowego (zasiłek stały, co 6 miesięcy) przypada "
        f"{due:%d.%m.%Y}; ostatni wywiad {last_interview_on:%d.%m.%Y}."
    )


# --- List 3: expiring documents -------------------------------------------------------------


def document_listed(*, valid_until: date | None, today: date, alert_days: int) -> bool:
    """Expired, or expiring within `alert_days`; no date means a permanent document."""
    return valid_until is not None and valid_until <= today + timedelta(days=alert_days)


def document_phrase(*, what: str, valid_until: date, today: date) -> str:
    if valid_until < today:
        return f"{what} stracił(o) ważność {valid_until:%d.%m.%Y}"
    return f"{what} traci ważność {valid_until:%d.%m.%Y} (za {(valid_until - today).days} dni)"


def documents_reason(
    *, disability_until: date | None, residence_until: date | None, today: date
) -> str:
    parts = []
    if disability_until is not None:
        parts.append(
            document_phrase(
                what="Orzeczenie o niepełnosprawności", valid_until=disability_until, today=today
            )
        )
    if residence_until is not None:
        parts.append(
            document_phrase(what="Dokument pobytowy", valid_until=residence_until, today=today)
        )
    return "; ".join(parts) + "."


# --- List 4: homeless persons not seen in a shelter in winter --------------------------------


def is_winter(day: date) -> bool:
    return day.month in WINTER_MONTHS


def unseen_nights_window(*, today: date, nights: int) -> tuple[date, date]:
    """The last `nights` nights before `today`: (first night, last night)."""
    return today - timedelta(days=nights), today - timedelta(days=1)


def homeless_unseen(*, last_seen_night: date | None, today: date, nights: int) -> bool:
    if not is_winter(today) or nights < 1:
        return False
    first, _last = unseen_nights_window(today=today, nights=nights)
    return last_seen_night is None or last_seen_night < first


def homeless_reason(*, last_seen_night: date | None, nights: int) -> str:
    seen = (
        f"ostatni nocleg w placówce: {last_seen_night:%d.%m.%Y}"
        if last_seen_night
        else "brak odnotowanych noclegów w placówkach"
    )
    return (
        f"Osoba bezdomna w okresie zimowym nie nocowała w żadnej placówce przez ostatnie "
        f"{nights} noce ({seen})."
    )


# --- List 5: children in a family with an open Blue Card and no family assistant -------------


def age_on(*, birth_date: date, today: date) -> int:
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


def is_child(*, birth_date: date | None, today: date) -> bool:
    return (
        birth_date is not None
        and birth_date <= today
        and age_on(birth_date=birth_date, today=today) < ADULT_AGE
    )


def child_blue_card_listed(
    *, birth_date: date | None, today: date, open_blue_card: bool, active_family_support: bool
) -> bool:
    return (
        is_child(birth_date=birth_date, today=today)
        and open_blue_card
        and not (active_family_support)
    )


CHILD_BLUE_CARD_REASON = (
    "Dziecko w rodzinie objętej procedurą „Niebieskie Karty” (procedura otwarta); rodzina nie ma "
    "asystenta rodziny z aktywnym planem pracy."
)
