"""The case timeline: one function per event type, each writing one typed CaseEvent."""

from typing import Any

from .models import Application, CaseEvent, CaseEventCode


def _event(application: Application, actor, code: str, **details: Any) -> CaseEvent:
    return CaseEvent.objects.create(
        application=application, actor=actor, code=code, details=details
    )


def registered(application: Application, actor) -> CaseEvent:
    return _event(application, actor, CaseEventCode.REGISTERED, number=application.number)


def interview_scheduled(application: Application, actor, *, due_on) -> CaseEvent:
    return _event(application, actor, CaseEventCode.INTERVIEW_SCHEDULED, due_on=due_on.isoformat())


def interview_done(application: Application, actor, *, conducted_on) -> CaseEvent:
    return _event(
        application, actor, CaseEventCode.INTERVIEW_DONE, conducted_on=conducted_on.isoformat()
    )


def interview_refused(application: Application, actor, *, on) -> CaseEvent:
    return _event(application, actor, CaseEventCode.INTERVIEW_REFUSED, on=on.isoformat())


def decision_drafted(application: Application, actor, *, decision_id: int) -> CaseEvent:
    return _event(application, actor, CaseEventCode.DECISION_DRAFTED, decision_id=decision_id)


def decision_discarded(application: Application, actor, *, decision_id: int) -> CaseEvent:
    return _event(application, actor, CaseEventCode.DECISION_DISCARDED, decision_id=decision_id)


def decision_issued(application: Application, actor, *, decision_id: int, number: str) -> CaseEvent:
    return _event(
        application, actor, CaseEventCode.DECISION_ISSUED, decision_id=decision_id, number=number
    )


def decision_served(application: Application, actor, *, decision_id: int, served_on) -> CaseEvent:
    return _event(
        application,
        actor,
        CaseEventCode.DECISION_SERVED,
        decision_id=decision_id,
        served_on=served_on.isoformat(),
    )


def appeal_lodged(application: Application, actor, *, decision_id: int, lodged_on) -> CaseEvent:
    return _event(
        application,
        actor,
        CaseEventCode.APPEAL_LODGED,
        decision_id=decision_id,
        lodged_on=lodged_on.isoformat(),
    )


def appeal_forwarded(application: Application, actor, *, decision_id: int, on) -> CaseEvent:
    return _event(
        application,
        actor,
        CaseEventCode.APPEAL_FORWARDED,
        decision_id=decision_id,
        on=on.isoformat(),
    )


def appeal_decided(application: Application, actor, *, decision_id: int, outcome: str) -> CaseEvent:
    return _event(
        application, actor, CaseEventCode.APPEAL_DECIDED, decision_id=decision_id, outcome=outcome
    )


def final(application: Application, actor, *, decision_id: int, final_on) -> CaseEvent:
    return _event(
        application,
        actor,
        CaseEventCode.FINAL,
        decision_id=decision_id,
        final_on=final_on.isoformat(),
    )


def closed(application: Application, actor, *, code: str, reason: str) -> CaseEvent:
    return _event(application, actor, code, reason=reason)


def note_added(application: Application, actor, *, note_id: int) -> CaseEvent:
    return _event(application, actor, CaseEventCode.NOTE_ADDED, note_id=note_id)
