"""Pure rules of cash benefits: income, eligibility and amounts (u.p.s. art. 8, 37–41);
the fee for care services (art. 50).

No Django here. The numbers of the law (criteria, maxima, minima, the 130 % of art. 37 from
2024) are not constants of this module: they arrive as `Parameters`, read from the
LegalParameters row in force on the day (LAW.md §2). Explanations are Polish, because they go
to the worker and, through the decision's reasoning, to the client.

Abbreviation: u.p.s. = ustawa z 12 marca 2004 r. o pomocy społecznej.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

GROSZ = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)

FEMALE = "F"
MALE = "M"
ADULT_AGE = 18
# Niezdolność do pracy z tytułu wieku: the retirement age (LAW.md §3).
RETIREMENT_AGE = {FEMALE: 60, MALE: 65}
# Below 1 ha przeliczeniowy the land gives no income (art. 8 ust. 4).
MIN_COUNTED_HECTARES = Decimal(1)

# The guaranteed share of the difference in the periodic allowance (art. 38 ust. 3).
GUARANTEED_PERCENT_MIN = Decimal(50)
GUARANTEED_PERCENT_MAX = Decimal(100)

ACT = "u.p.s."


@dataclass(frozen=True, kw_only=True)
class Parameters:
    """The legal parameters in force on one day (a LegalParameters row)."""

    valid_from: date
    single_criterion: Decimal  # kryterium dochodowe osoby samotnie gospodarującej
    per_person_criterion: Decimal  # kryterium dochodowe na osobę w rodzinie
    farm_income_per_hectare: Decimal  # dochód z 1 ha przeliczeniowego (art. 8 ust. 8)
    permanent_allowance_max: Decimal  # art. 37 ust. 2 pkt 1
    permanent_allowance_min: Decimal  # art. 37 ust. 3
    periodic_allowance_min: Decimal  # art. 38 ust. 4
    periodic_single_cap: Decimal  # art. 38 ust. 2 pkt 1 (verify)
    permanent_amount_percent: Decimal  # 130 from 2024-01-01, 100 before
    source: str = ""

    def family_criterion(self, persons: int) -> Decimal:
        """Kryterium dochodowe rodziny: the per-person criterion × the number of persons."""
        return _money(self.per_person_criterion * persons)


@dataclass(frozen=True, kw_only=True)
class Member:
    """One person of the household (gospodarstwo domowe); a household of one is single."""

    # Net monthly income per art. 8 ust. 3, without farm income (counted from farm_hectares).
    income: Decimal
    applicant: bool = False
    age: int | None = None  # full years on the day of assessment
    sex: str | None = None  # "F" or "M"
    # Całkowita niezdolność do pracy: ZUS decision, significant or moderate disability degree,
    # invalidity group I or II (LAW.md §3).
    totally_unable_to_work: bool = False
    farm_hectares: Decimal = Decimal(0)  # hectares przeliczeniowe


@dataclass(frozen=True)
class HouseholdIncome:
    """Income of a household in one month (art. 8 ust. 3–4, 8)."""

    total: Decimal
    per_person: Decimal
    persons: int
    applicant_own: Decimal  # the applicant's own income, farm included
    farm: Decimal  # the part of `total` counted from farmland (art. 8 ust. 8)
    farm_hectares_counted: Decimal
    farm_hectares_ignored: Decimal  # members' land under 1 ha (art. 8 ust. 4)


@dataclass(frozen=True)
class Assessment:
    """What the rules say about one benefit: eligibility, amount and why."""

    eligible: bool
    amount: Decimal  # 0.00 when not eligible
    criterion: Decimal  # the criterion that decided eligibility
    income: Decimal  # household income (own income of a single person)
    income_per_person: Decimal
    legal_basis: tuple[str, ...]
    explanation: str  # Polish, with the formula and its numbers


# --- Formatting (Polish) -------------------------------------------------------------------


def _money(value: Decimal) -> Decimal:
    """Half up to the grosz, as the centre's payroll rounds."""
    return Decimal(value).quantize(GROSZ, rounding=ROUND_HALF_UP)


def format_zl(amount: Decimal) -> str:
    """Decimal("1013") → "1013,00 zł"."""
    return f"{_money(amount):f}".replace(".", ",") + " zł"


def format_percent(percent: Decimal) -> str:
    """Decimal("130.00") → "130%"; Decimal("62.5") → "62,5%"."""
    text = f"{Decimal(percent):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def format_hectares(hectares: Decimal) -> str:
    """Decimal("2.5000") → "2,5"."""
    text = f"{Decimal(hectares):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def persons_pl(count: int) -> str:
    """Polish plural: 1 osoba, 2 osoby, 5 osób, 22 osoby."""
    if count == 1:
        return "1 osoba"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return f"{count} osoby"
    return f"{count} osób"


def _art(provision: str) -> str:
    return f"{ACT} {provision}"


# --- Income (art. 8) -----------------------------------------------------------------------


def farm_income(*, hectares: Decimal, rate: Decimal) -> Decimal:
    """Income from farmland: hectares przeliczeniowe × the rate (art. 8 ust. 8).

    Land under 1 ha przeliczeniowy is not income (art. 8 ust. 4), counted per member.
    """
    if hectares < MIN_COUNTED_HECTARES:
        return ZERO
    return _money(hectares * rate)


def _check_members(members: Sequence[Member]) -> Member:
    """Validate the household and return its applicant."""
    if not members:
        raise ValueError("The household has no members.")
    applicants = [m for m in members if m.applicant]
    if len(applicants) != 1:
        raise ValueError(f"The household needs exactly one applicant; it has {len(applicants)}.")
    for member in members:
        for name in ("income", "farm_hectares"):
            value = Decimal(getattr(member, name))
            if not value.is_finite() or value < 0:
                raise ValueError(f"A member's {name} must be a non-negative amount.")
        if member.age is not None and member.age < 0:
            raise ValueError("A member's age cannot be negative.")
        if member.sex not in (None, FEMALE, MALE):
            raise ValueError(f"A member's sex must be {FEMALE!r} or {MALE!r}.")
    return applicants[0]


def member_income(*, member: Member, params: Parameters) -> Decimal:
    """A member's income: net income (art. 8 ust. 3) plus farm income (art. 8 ust. 8)."""
    farm = farm_income(hectares=member.farm_hectares, rate=params.farm_income_per_hectare)
    return _money(member.income) + farm


def household_income(*, members: Sequence[Member], params: Parameters) -> HouseholdIncome:
    """Total and per-person income of the household (art. 8 ust. 3–4, 8).

    Amounts are rounded half up to the grosz: each member's income, then the income per
    person (total ÷ number of persons).
    """
    applicant = _check_members(members)
    farm = ZERO
    counted = ignored = Decimal(0)
    for member in members:
        hectares = Decimal(member.farm_hectares)
        if hectares >= MIN_COUNTED_HECTARES:
            counted += hectares
            farm += farm_income(hectares=hectares, rate=params.farm_income_per_hectare)
        else:
            ignored += hectares
    total = sum((member_income(member=m, params=params) for m in members), ZERO)
    return HouseholdIncome(
        total=_money(total),
        per_person=_money(total / len(members)),
        persons=len(members),
        applicant_own=member_income(member=applicant, params=params),
        farm=_money(farm),
        farm_hectares_counted=counted,
        farm_hectares_ignored=ignored,
    )


def _income_sentences(income: HouseholdIncome, params: Parameters) -> tuple[list[str], list[str]]:
    """Sentences and provisions about farm income, when the household has farmland."""
    sentences: list[str] = []
    basis: list[str] = []
    if income.farm_hectares_counted:
        sentences.append(
            f"Dochód z gospodarstwa rolnego (ha przeliczeniowe): "
            f"{format_hectares(income.farm_hectares_counted)} × "
            f"{format_zl(params.farm_income_per_hectare)} = {format_zl(income.farm)} "
            f"(art. 8 ust. 8)."
        )
        basis.append(_art("art. 8 ust. 8"))
    if income.farm_hectares_ignored:
        sentences.append(
            "Użytki rolne poniżej 1 ha przeliczeniowego nie są wliczane do dochodu (art. 8 ust. 4)."
        )
        basis.append(_art("art. 8 ust. 4"))
    return sentences, basis


def _household_sentence(income: HouseholdIncome) -> str:
    if income.persons == 1:
        return f"Osoba samotnie gospodarująca; dochód {format_zl(income.total)}."
    return (
        f"Rodzina ({persons_pl(income.persons)}); dochód rodziny {format_zl(income.total)}, "
        f"na osobę {format_zl(income.total)} : {income.persons} = "
        f"{format_zl(income.per_person)}."
    )


def _refusal(
    *,
    criterion: Decimal,
    income: HouseholdIncome,
    basis: Sequence[str],
    sentences: Sequence[str],
) -> Assessment:
    return Assessment(
        eligible=False,
        amount=ZERO,
        criterion=criterion,
        income=income.total,
        income_per_person=income.per_person,
        legal_basis=tuple(basis),
        explanation=" ".join(sentences),
    )


# --- Zasiłek stały (art. 37) ---------------------------------------------------------------


def unable_to_work(member: Member) -> tuple[bool, str]:
    """Whether an adult is unable to work because of age or totally (art. 37 ust. 1).

    Age means the retirement age: a woman 60+, a man 65+. Returns the answer and a Polish
    phrase saying why.
    """
    if member.age is None:
        raise ValueError("The applicant's age is needed for the permanent allowance.")
    if member.age < ADULT_AGE:
        return False, f"osoba wnioskująca nie jest pełnoletnia ({member.age} l.)"
    if member.totally_unable_to_work:
        return True, "osoba wnioskująca jest całkowicie niezdolna do pracy"
    if member.sex not in RETIREMENT_AGE:
        raise ValueError("The applicant's sex is needed for the permanent allowance.")
    threshold = RETIREMENT_AGE[member.sex]
    who = "kobieta" if member.sex == FEMALE else "mężczyzna"
    if member.age >= threshold:
        return True, (
            f"osoba wnioskująca jest niezdolna do pracy z powodu wieku "
            f"({who}, {member.age} l.; wiek emerytalny {threshold} l.)"
        )
    return False, (
        f"osoba wnioskująca nie osiągnęła wieku emerytalnego ({who}, {member.age} l.; "
        f"wymagane {threshold} l.) i nie jest całkowicie niezdolna do pracy"
    )


def permanent_allowance(*, members: Sequence[Member], params: Parameters) -> Assessment:
    """Zasiłek stały for the applicant among `members` (u.p.s. art. 37).

    Who (ust. 1): an adult unable to work because of age or totally unable to work, whose
    income is below the criterion itself (100 %): a single person's own income below the
    single criterion (pkt 1); in a family, both the applicant's own income and the income per
    person below the per-person criterion (pkt 2).
    Amount (ust. 2): percent × criterion − income (single) or percent × per-person criterion −
    income per person (family), where the percent is 130 from 2024-01-01 and 100 before
    (Dz.U. 2023 poz. 1693), at most the maximum (ust. 2 pkt 1) and never below the minimum
    (ust. 3).
    """
    applicant = _check_members(members)
    income = household_income(members=members, params=params)
    single = income.persons == 1
    pkt = "pkt 1" if single else "pkt 2"
    criterion = params.single_criterion if single else params.per_person_criterion
    farm_sentences, farm_basis = _income_sentences(income, params)
    basis = [_art(f"art. 37 ust. 1 {pkt}")]
    sentences = ["Zasiłek stały (art. 37 u.p.s.).", _household_sentence(income), *farm_sentences]

    able, why = unable_to_work(applicant)
    if not able:
        sentences.append(f"Nie przysługuje: {why} (art. 37 ust. 1 {pkt}).")
        return _refusal(
            criterion=criterion, income=income, basis=basis + farm_basis, sentences=sentences
        )
    sentences.append(f"Warunek niezdolności do pracy spełniony: {why}.")

    if single:
        if income.total >= criterion:
            sentences.append(
                f"Nie przysługuje: dochód {format_zl(income.total)} nie jest niższy od "
                f"kryterium dochodowego osoby samotnie gospodarującej {format_zl(criterion)} "
                f"(art. 37 ust. 1 pkt 1)."
            )
            return _refusal(
                criterion=criterion, income=income, basis=basis + farm_basis, sentences=sentences
            )
        sentences.append(
            f"Dochód {format_zl(income.total)} jest niższy od kryterium dochodowego osoby "
            f"samotnie gospodarującej {format_zl(criterion)} (art. 37 ust. 1 pkt 1)."
        )
        deducted = income.total
    else:
        failures = []
        if income.applicant_own >= criterion:
            failures.append(f"dochód własny osoby wnioskującej {format_zl(income.applicant_own)}")
        if income.per_person >= criterion:
            failures.append(f"dochód na osobę w rodzinie {format_zl(income.per_person)}")
        if failures:
            verb = "nie są niższe" if len(failures) > 1 else "nie jest niższy"
            sentences.append(
                f"Nie przysługuje: {' oraz '.join(failures)} {verb} od kryterium dochodowego "
                f"na osobę w rodzinie {format_zl(criterion)} (art. 37 ust. 1 pkt 2)."
            )
            return _refusal(
                criterion=criterion, income=income, basis=basis + farm_basis, sentences=sentences
            )
        sentences.append(
            f"Dochód własny osoby wnioskującej {format_zl(income.applicant_own)} i dochód na "
            f"osobę w rodzinie {format_zl(income.per_person)} są niższe od kryterium "
            f"dochodowego na osobę w rodzinie {format_zl(criterion)} (art. 37 ust. 1 pkt 2)."
        )
        deducted = income.per_person

    percent = Decimal(params.permanent_amount_percent)
    base = _money(percent * criterion / HUNDRED)
    computed = base - deducted
    if percent == HUNDRED:
        formula = f"{format_zl(criterion)} − {format_zl(deducted)} = {format_zl(computed)}"
    else:
        formula = (
            f"{format_percent(percent)} × {format_zl(criterion)} − {format_zl(deducted)} = "
            f"{format_zl(computed)}"
        )
    basis.append(_art(f"art. 37 ust. 2 {pkt}"))
    amount = computed
    note = f" (art. 37 ust. 2 {pkt})."
    # The statute caps only a single person's allowance (ust. 2 pkt 1); in every period so far
    # percent × the per-person criterion stays below the maximum, so capping both is the same.
    if amount > params.permanent_allowance_max:
        amount = _money(params.permanent_allowance_max)
        note = (
            f", ponad kwotę maksymalną; przyznaje się kwotę maksymalną {format_zl(amount)} "
            f"(art. 37 ust. 2 pkt 1)."
        )
    elif amount < params.permanent_allowance_min:
        amount = _money(params.permanent_allowance_min)
        note = (
            f", poniżej kwoty minimalnej; przyznaje się kwotę minimalną {format_zl(amount)} "
            f"(art. 37 ust. 3)."
        )
        basis.append(_art("art. 37 ust. 3"))
    sentences.append(f"Kwota zasiłku: {formula}{note}")
    return Assessment(
        eligible=True,
        amount=_money(amount),
        criterion=criterion,
        income=income.total,
        income_per_person=income.per_person,
        legal_basis=tuple(basis + farm_basis),
        explanation=" ".join(sentences),
    )


# --- Zasiłek okresowy (art. 38) ------------------------------------------------------------


def _guaranteed_percent(value) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("guaranteed_percent must be a number between 50 and 100.")
    try:
        percent = Decimal(value)
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise ValueError("guaranteed_percent must be a number between 50 and 100.") from exc
    if not percent.is_finite() or not (GUARANTEED_PERCENT_MIN <= percent <= GUARANTEED_PERCENT_MAX):
        raise ValueError(f"guaranteed_percent must be between 50 and 100, not {value}.")
    return percent


def periodic_allowance(
    *, members: Sequence[Member], params: Parameters, guaranteed_percent: Decimal | int = 50
) -> Assessment:
    """Zasiłek okresowy (u.p.s. art. 38).

    Who (ust. 1): a single person whose income is below the single criterion (pkt 1), or a
    family whose income is below the family criterion, per-person criterion × persons (pkt 2).
    Amount: `guaranteed_percent` (50 % by law, up to the whole difference as the gmina
    decides; ust. 2–3) of criterion − income (family: family criterion − family income); for a
    single person at most `periodic_single_cap` (ust. 2 pkt 1); never below
    `periodic_allowance_min`, 20 zł (ust. 4).
    """
    percent = _guaranteed_percent(guaranteed_percent)
    _check_members(members)
    income = household_income(members=members, params=params)
    single = income.persons == 1
    pkt = "pkt 1" if single else "pkt 2"
    if single:
        criterion = params.single_criterion
        criterion_name = "kryterium dochodowego osoby samotnie gospodarującej"
        criterion_formula = format_zl(criterion)
    else:
        criterion = params.family_criterion(income.persons)
        criterion_name = "kryterium dochodowego rodziny"
        criterion_formula = (
            f"{format_zl(params.per_person_criterion)} × {income.persons} = {format_zl(criterion)}"
        )
    criterion_text = f"{criterion_name} {criterion_formula}"
    farm_sentences, farm_basis = _income_sentences(income, params)
    basis = [_art(f"art. 38 ust. 1 {pkt}")]
    sentences = [
        "Zasiłek okresowy (art. 38 u.p.s.).",
        _household_sentence(income),
        *farm_sentences,
    ]
    whose = "dochód" if single else "dochód rodziny"
    if income.total >= criterion:
        sentences.append(
            f"Nie przysługuje: {whose} {format_zl(income.total)} nie jest niższy od "
            f"{criterion_text} (art. 38 ust. 1 {pkt})."
        )
        return _refusal(
            criterion=criterion, income=income, basis=basis + farm_basis, sentences=sentences
        )
    sentences.append(
        f"{whose.capitalize()} {format_zl(income.total)} jest niższy od {criterion_text} "
        f"(art. 38 ust. 1 {pkt})."
    )
    difference = criterion - income.total
    computed = _money(percent * difference / HUNDRED)
    basis += [_art(f"art. 38 ust. 2 {pkt}"), _art(f"art. 38 ust. 3 {pkt}")]
    formula = (
        f"{format_percent(percent)} × ({format_zl(criterion)} − {format_zl(income.total)}) = "
        f"{format_zl(computed)}"
    )
    amount = computed
    note = f" (art. 38 ust. 2–3 {pkt})."
    if single and amount > params.periodic_single_cap:
        amount = _money(params.periodic_single_cap)
        note = (
            f", ponad kwotę maksymalną dla osoby samotnie gospodarującej; przyznaje się "
            f"{format_zl(amount)} (art. 38 ust. 2 pkt 1)."
        )
    if amount < params.periodic_allowance_min:
        amount = _money(params.periodic_allowance_min)
        note = f", poniżej kwoty minimalnej; przyznaje się {format_zl(amount)} (art. 38 ust. 4)."
        basis.append(_art("art. 38 ust. 4"))
    sentences.append(f"Kwota zasiłku: {formula}{note}")
    return Assessment(
        eligible=True,
        amount=_money(amount),
        criterion=criterion,
        income=income.total,
        income_per_person=income.per_person,
        legal_basis=tuple(basis + farm_basis),
        explanation=" ".join(sentences),
    )


# --- Zasiłek celowy (art. 39–41) -----------------------------------------------------------


def purpose_allowance(
    *,
    members: Sequence[Member],
    params: Parameters,
    amount: Decimal,
    after_random_event: bool = False,
    after_disaster: bool = False,
    special: bool = False,
) -> Assessment:
    """Zasiłek celowy for an urgent need (u.p.s. art. 39–41); the amount is the worker's.

    - Ordinary (art. 39 ust. 1): the income must not exceed the criterion (art. 8 ust. 1:
      "nie przekracza": a single person's income ≤ the single criterion; in a family the
      income per person ≤ the per-person criterion).
    - After a random event (art. 40 ust. 1) or a natural or ecological disaster (art. 40
      ust. 2): regardless of income; it may be non-refundable.
    - Special (specjalny zasiłek celowy, art. 41 pkt 1): only for income above the criterion,
      at most the single criterion or the family criterion; non-refundable.
    """
    try:
        requested = Decimal(amount)
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise ValueError("amount must be an amount in złoty.") from exc
    if not requested.is_finite() or requested <= 0:
        raise ValueError("amount must be greater than zero.")
    if special and (after_random_event or after_disaster):
        raise ValueError("special cannot be combined with after_random_event or after_disaster.")
    requested = _money(requested)
    _check_members(members)
    income = household_income(members=members, params=params)
    single = income.persons == 1
    pkt = "pkt 1" if single else "pkt 2"
    criterion = params.single_criterion if single else params.per_person_criterion
    compared = income.total if single else income.per_person
    compared_name = "dochód" if single else "dochód na osobę w rodzinie"
    whose_criterion = "osoby samotnie gospodarującej" if single else "na osobę w rodzinie"
    # Polish needs the accusative after "przekracza", the genitive after "nie przekracza".
    criterion_acc = f"kryterium dochodowe {whose_criterion}"
    criterion_gen = f"kryterium dochodowego {whose_criterion}"
    within = compared <= criterion
    farm_sentences, farm_basis = _income_sentences(income, params)
    sentences = [_household_sentence(income), *farm_sentences]

    if after_random_event or after_disaster:
        if after_random_event:
            provision, cause = "art. 40 ust. 1", "ze zdarzeniem losowym"
        else:
            provision, cause = "art. 40 ust. 2", "z klęską żywiołową lub ekologiczną"
        sentences.insert(0, f"Zasiłek celowy w związku {cause} ({provision} u.p.s.).")
        sentences.append(
            f"Przysługuje niezależnie od dochodu i może być przyznany bez obowiązku zwrotu "
            f"({provision}). Kwota: {format_zl(requested)}."
        )
        return Assessment(
            eligible=True,
            amount=requested,
            criterion=criterion,
            income=income.total,
            income_per_person=income.per_person,
            legal_basis=(_art(provision), *farm_basis),
            explanation=" ".join(sentences),
        )

    if special:
        basis = [_art("art. 41 pkt 1")]
        sentences.insert(0, "Specjalny zasiłek celowy (art. 41 pkt 1 u.p.s.).")
        if within:
            sentences.append(
                f"Nie przysługuje: {compared_name} {format_zl(compared)} nie przekracza "
                f"{criterion_gen} {format_zl(criterion)}; właściwy jest zasiłek celowy "
                f"(art. 39)."
            )
            return _refusal(
                criterion=criterion, income=income, basis=basis + farm_basis, sentences=sentences
            )
        if single:
            cap = params.single_criterion
            cap_name = "kryterium dochodowego osoby samotnie gospodarującej"
        else:
            cap = params.family_criterion(income.persons)
            cap_name = "kryterium dochodowego rodziny"
        sentences.append(
            f"{compared_name.capitalize()} {format_zl(compared)} przekracza {criterion_acc} "
            f"{format_zl(criterion)}; zasiłek w szczególnie uzasadnionym przypadku, bez "
            f"obowiązku zwrotu, w wysokości nieprzekraczającej {cap_name} {format_zl(cap)}."
        )
        granted = requested
        if requested > cap:
            granted = _money(cap)
            sentences.append(
                f"Wnioskowana kwota {format_zl(requested)} przekracza ten limit; przyznaje się "
                f"{format_zl(granted)} (art. 41 pkt 1)."
            )
        else:
            sentences.append(f"Kwota: {format_zl(granted)}.")
        return Assessment(
            eligible=True,
            amount=granted,
            criterion=criterion,
            income=income.total,
            income_per_person=income.per_person,
            legal_basis=tuple(basis + farm_basis),
            explanation=" ".join(sentences),
        )

    basis = [_art("art. 39 ust. 1"), _art(f"art. 8 ust. 1 {pkt}")]
    sentences.insert(0, "Zasiłek celowy (art. 39 u.p.s.).")
    if not within:
        sentences.append(
            f"Nie przysługuje: {compared_name} {format_zl(compared)} przekracza "
            f"{criterion_acc} {format_zl(criterion)} (art. 8 ust. 1 {pkt}); możliwy jest "
            f"specjalny zasiłek celowy (art. 41 pkt 1)."
        )
        return _refusal(
            criterion=criterion, income=income, basis=basis + farm_basis, sentences=sentences
        )
    sentences.append(
        f"{compared_name.capitalize()} {format_zl(compared)} nie przekracza {criterion_gen} "
        f"{format_zl(criterion)} (art. 8 ust. 1 {pkt}). Kwota: {format_zl(requested)}."
    )
    return Assessment(
        eligible=True,
        amount=requested,
        criterion=criterion,
        income=income.total,
        income_per_person=income.per_person,
        legal_basis=tuple(basis + farm_basis),
        explanation=" ".join(sentences),
    )


def amount_range(
    *, benefit: str, assessment: Assessment, params: Parameters
) -> tuple[Decimal, Decimal]:
    """The amounts a worker may set instead of the computed one (with a written reason).

    - Permanent allowance (art. 37): from the minimum up to the amount the law gives.
    - Periodic allowance (art. 38 ust. 2–4): from 50 % of the difference (never below the
      minimum) up to the whole difference, for a single person within the cap.
    """
    if not assessment.eligible:
        return ZERO, ZERO
    if benefit == "permanent":
        return _money(params.permanent_allowance_min), assessment.amount
    if benefit == "periodic":
        difference = assessment.criterion - assessment.income
        high = _money(difference)
        single = assessment.income == assessment.income_per_person and (
            assessment.criterion == params.single_criterion
        )
        if single:
            high = min(high, _money(params.periodic_single_cap))
        low = max(
            _money(difference * GUARANTEED_PERCENT_MIN / HUNDRED),
            _money(params.periodic_allowance_min),
        )
        high = max(high, low)
        return low, high
    raise ValueError(f"no legal range for {benefit}")


# --- Usługi opiekuńcze (art. 50) -----------------------------------------------------------

# A month has at most 31 × 24 hours; more delivered hours are a typing error.
CARE_HOURS_MONTH_MAX = Decimal(744)
# Thresholds and fees of a fee table are percents with at most two decimal places, as the
# council resolutions write them ("powyżej 100% do 120%", "12,5%").
CARE_PERCENT_PLACES = Decimal("0.01")


class CareFeeBracketsError(ValueError):
    """A fee table that cannot be applied; `code` names the fault, `index` the bracket."""

    def __init__(self, message: str, *, code: str, index: int | None = None):
        super().__init__(message)
        self.code = code
        self.index = index


@dataclass(frozen=True)
class CareFeeBracket:
    """One row of the council's fee table: income up to `income_up_to_percent` of the
    criterion (inclusive; None for the open last row) → fee of `fee_percent` of the hourly cost."""

    income_up_to_percent: Decimal | None
    fee_percent: Decimal


@dataclass(frozen=True)
class CareFee:
    """The person's fee for care services, as the decision states it (art. 50 ust. 6)."""

    criterion: Decimal  # the single criterion, or the per-person criterion in a family
    income: Decimal  # household income (own income of a single person)
    income_per_person: Decimal
    income_percent_of_criterion: Decimal  # rounded up to 0.01 (see care_income_percent)
    fee_percent: Decimal  # of the hourly cost
    hourly_cost: Decimal
    fee_per_hour: Decimal
    legal_basis: tuple[str, ...]
    explanation: str  # Polish, with the table row and its numbers


def _care_percent(value, *, code: str, index: int) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise CareFeeBracketsError(f"Bracket {index + 1}: not a number.", code=code, index=index)
    try:
        # A float from hand-typed JSON is read as written (12.5, not its binary neighbour).
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except ArithmeticError as exc:
        raise CareFeeBracketsError(
            f"Bracket {index + 1}: not a number.", code=code, index=index
        ) from exc
    if not number.is_finite():
        raise CareFeeBracketsError(f"Bracket {index + 1}: not a number.", code=code, index=index)
    if number != number.quantize(CARE_PERCENT_PLACES):
        raise CareFeeBracketsError(
            f"Bracket {index + 1}: at most two decimal places.", code="places", index=index
        )
    return number


def care_fee_brackets(brackets) -> tuple[CareFeeBracket, ...]:
    """Read and check a fee table of the council's resolution (u.p.s. art. 50 ust. 6).

    `brackets` is a list of {"income_up_to_percent": "150", "fee_percent": "10"} in order of
    income; the last row has "income_up_to_percent": null (any higher income). Thresholds
    rise strictly, fees are 0–100 % and never fall as income rises (a fee table that
    charged a richer person less would be a typing error). Raises CareFeeBracketsError.
    """
    if not isinstance(brackets, list | tuple) or not brackets:
        raise CareFeeBracketsError("The fee table has no brackets.", code="empty")
    rows: list[CareFeeBracket] = []
    last = len(brackets) - 1
    for index, raw in enumerate(brackets):
        if not isinstance(raw, dict) or set(raw) != {"income_up_to_percent", "fee_percent"}:
            raise CareFeeBracketsError(
                f"Bracket {index + 1}: give income_up_to_percent and fee_percent only.",
                code="shape",
                index=index,
            )
        up_to_raw = raw["income_up_to_percent"]
        if up_to_raw is None:
            if index != last:
                raise CareFeeBracketsError(
                    f"Bracket {index + 1}: only the last bracket is open.",
                    code="open_not_last",
                    index=index,
                )
            up_to = None
        else:
            if index == last:
                raise CareFeeBracketsError(
                    "The last bracket must be open (income_up_to_percent null).",
                    code="last_not_open",
                    index=index,
                )
            up_to = _care_percent(up_to_raw, code="income_not_number", index=index)
            if up_to < 0:
                raise CareFeeBracketsError(
                    f"Bracket {index + 1}: the income threshold cannot be negative.",
                    code="income_negative",
                    index=index,
                )
            if rows and up_to <= rows[-1].income_up_to_percent:
                raise CareFeeBracketsError(
                    f"Bracket {index + 1}: income thresholds must rise.",
                    code="income_not_ascending",
                    index=index,
                )
        fee = _care_percent(raw["fee_percent"], code="fee_not_number", index=index)
        if not (ZERO <= fee <= HUNDRED):
            raise CareFeeBracketsError(
                f"Bracket {index + 1}: the fee must be between 0 and 100 %.",
                code="fee_range",
                index=index,
            )
        if rows and fee < rows[-1].fee_percent:
            raise CareFeeBracketsError(
                f"Bracket {index + 1}: the fee cannot fall as income rises.",
                code="fee_falls",
                index=index,
            )
        rows.append(CareFeeBracket(income_up_to_percent=up_to, fee_percent=fee))
    return tuple(rows)


def _care_bracket(income_percent: Decimal, rows: Sequence[CareFeeBracket]) -> int:
    """Index of the row whose range holds `income_percent` (upper bounds inclusive)."""
    for index, row in enumerate(rows):
        if row.income_up_to_percent is None or income_percent <= row.income_up_to_percent:
            return index
    raise AssertionError("care_fee_brackets guarantees an open last row")


def care_fee_percent(*, income_percent_of_criterion: Decimal, brackets) -> Decimal:
    """The fee, as a percent of the hourly cost, for income at `income_percent_of_criterion`
    % of the criterion, by the gmina council's fee table (u.p.s. art. 50 ust. 6: the council
    sets the fees by resolution; the centre applies them in the decision).

    A row applies up to and including its threshold ("do 150%"); the open last row applies
    above every threshold. Raises ValueError for a negative income or a faulty table.
    """
    income_percent = Decimal(income_percent_of_criterion)
    if not income_percent.is_finite() or income_percent < 0:
        raise ValueError("income_percent_of_criterion must be a non-negative number.")
    rows = care_fee_brackets(brackets)
    return rows[_care_bracket(income_percent, rows)].fee_percent


def care_fee_owed(*, hours: Decimal, hourly_cost: Decimal, fee_percent: Decimal) -> Decimal:
    """The fee owed for `hours` of care: hours × hourly cost × fee percent, rounded half up
    to the grosz once, at the end (u.p.s. art. 50 ust. 6; the cost and percent are the
    decision's, from the council's resolution)."""
    values = {"hours": hours, "hourly_cost": hourly_cost, "fee_percent": fee_percent}
    for name, value in values.items():
        number = Decimal(value)
        if not number.is_finite() or number < 0:
            raise ValueError(f"{name} must be a non-negative number.")
    if Decimal(fee_percent) > HUNDRED:
        raise ValueError("fee_percent cannot exceed 100.")
    return _money(Decimal(hours) * Decimal(hourly_cost) * Decimal(fee_percent) / HUNDRED)


def care_income_percent(*, income: HouseholdIncome, params: Parameters) -> tuple[Decimal, Decimal]:
    """(income as a percent of the criterion, the criterion) for the care-services fee.

    A single person: own income against the single criterion (art. 8 ust. 1 pkt 1); a family:
    income per person against the per-person criterion (pkt 2). The percent is rounded up
    to 0.01: with thresholds of at most two decimal places the row found is the same as with
    the exact ratio, and an income just over a threshold never shows as equal to it.
    """
    single = income.persons == 1
    criterion = params.single_criterion if single else params.per_person_criterion
    if criterion <= 0:
        raise ValueError("The income criterion must be greater than zero.")
    compared = income.total if single else income.per_person
    percent = (Decimal(compared) * HUNDRED / Decimal(criterion)).quantize(
        CARE_PERCENT_PLACES, rounding=ROUND_CEILING
    )
    return percent, Decimal(criterion)


def format_hours(hours: Decimal) -> str:
    """Decimal("40.0") → "40"; Decimal("12.5") → "12,5"."""
    return format_hectares(hours)


def _care_range_pl(rows: Sequence[CareFeeBracket], index: int) -> str:
    """ " przy dochodzie powyżej 100% do 150% kryterium", or "" for a table of one open row."""
    upper = rows[index].income_up_to_percent
    lower = rows[index - 1].income_up_to_percent if index else None
    if upper is None and lower is None:
        return ""
    if upper is None:
        return f" przy dochodzie powyżej {format_percent(lower)} kryterium"
    if lower is None:
        return f" przy dochodzie do {format_percent(upper)} kryterium"
    return f" przy dochodzie powyżej {format_percent(lower)} do {format_percent(upper)} kryterium"


def care_fee_assessment(
    *,
    members: Sequence[Member],
    params: Parameters,
    brackets,
    hourly_cost: Decimal,
    resolution: str = "",
) -> CareFee:
    """The fee for care services of the applicant among `members` (u.p.s. art. 50).

    Care services are granted to a person who needs help (ust. 1 single, ust. 2 when the
    family cannot provide it) regardless of income; income decides only the fee, by the
    council's table (ust. 6): income as a percent of the criterion → fee as a percent of the
    hourly cost.
    """
    cost = Decimal(hourly_cost)
    if not cost.is_finite() or cost <= 0:
        raise ValueError("hourly_cost must be greater than zero.")
    rows = care_fee_brackets(brackets)
    _check_members(members)
    income = household_income(members=members, params=params)
    single = income.persons == 1
    percent, criterion = care_income_percent(income=income, params=params)
    index = _care_bracket(percent, rows)
    fee_percent = rows[index].fee_percent
    per_hour = care_fee_owed(hours=Decimal(1), hourly_cost=cost, fee_percent=fee_percent)
    farm_sentences, farm_basis = _income_sentences(income, params)
    if single:
        share = (
            f"Dochód stanowi {format_percent(percent)} kryterium dochodowego osoby samotnie "
            f"gospodarującej ({format_zl(criterion)})."
        )
    else:
        share = (
            f"Dochód na osobę stanowi {format_percent(percent)} kryterium dochodowego na osobę "
            f"w rodzinie ({format_zl(criterion)})."
        )
    where = (
        f" ({resolution}; art. 50 ust. 6)" if resolution else " uchwały rady gminy (art. 50 ust. 6)"
    )
    if fee_percent == 0:
        fee_sentence = (
            f"Według tabeli odpłatności{where}{_care_range_pl(rows, index)} usługi są nieodpłatne "
            f"(koszt 1 godziny usług: {format_zl(cost)})."
        )
    else:
        fee_sentence = (
            f"Według tabeli odpłatności{where}{_care_range_pl(rows, index)} odpłatność wynosi "
            f"{format_percent(fee_percent)} kosztu 1 godziny usług: "
            f"{format_percent(fee_percent)} × {format_zl(cost)} = {format_zl(per_hour)} "
            f"za godzinę."
        )
    sentences = [
        "Usługi opiekuńcze (art. 50 u.p.s.).",
        _household_sentence(income),
        *farm_sentences,
        share,
        fee_sentence,
    ]
    who = "art. 50 ust. 1" if single else "art. 50 ust. 2"
    basis = [_art(who), _art("art. 50 ust. 5"), _art("art. 50 ust. 6")]
    return CareFee(
        criterion=criterion,
        income=income.total,
        income_per_person=income.per_person,
        income_percent_of_criterion=percent,
        fee_percent=fee_percent,
        hourly_cost=_money(cost),
        fee_per_hour=per_hour,
        legal_basis=tuple(basis + farm_basis),
        explanation=" ".join(sentences),
    )
