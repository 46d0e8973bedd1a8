"""Institutions and referrals for the tests of advice and referrals."""

from datetime import date

from .. import services
from ..models import Institution, InstitutionKind, Referral, ReferralKind, ReferralState


def make_institution(*, centre, **kwargs) -> Institution:
    defaults = dict(
        name="Powiatowy Urząd Pracy w Testowie",
        kind=InstitutionKind.LABOUR_OFFICE,
        address="ul. Robotnicza 2, 00-001 Testowo",
        services="pośrednictwo pracy, szkolenia, staże",
        eligibility="osoby bezrobotne z powiatu",
        languages="polski, English",
    )
    defaults.update(kwargs)
    return Institution.objects.create(centre=centre, **defaults)


def make_referral(*, actor, person, institution, **kwargs) -> Referral:
    """A sent referral, with consent, through the service."""
    kwargs.setdefault("purpose", "Rejestracja jako osoba bezrobotna")
    kwargs.setdefault("consent_given", True)
    return services.referral_create(actor=actor, person=person, institution=institution, **kwargs)


def make_work_referral(*, actor, person, institution, kind=ReferralKind.TRAINING, **kwargs):
    return make_referral(actor=actor, person=person, institution=institution, kind=kind, **kwargs)


def finish(*, actor, referral: Referral, outcome_kind: str, on: date | None = None) -> Referral:
    """Accept and complete a work referral with `outcome_kind`."""
    services.referral_outcome_record(actor=actor, referral=referral, state=ReferralState.ACCEPTED)
    return services.referral_outcome_record(
        actor=actor,
        referral=referral,
        state=ReferralState.DONE,
        outcome="Zakończone",
        outcome_kind=outcome_kind,
        outcome_on=on,
    )
