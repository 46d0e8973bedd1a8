"""Test-only: stops the server in the middle of an operation, for the fault test.

Never installed in production. The fault test (test_faults.py) starts its server with
``DJANGO_SETTINGS_MODULE=gops.core.tests.fault_settings``, which adds this app; ``ready()``
wraps one function that a service calls after it has written part of its rows and before its
transaction commits. The wrapper writes a marker file (JSON: what the transaction has written
so far) and sleeps, so that the test can kill the server exactly there.

``GOPS_FAULT_AT`` names the place (``payroll`` or ``placement``), ``GOPS_FAULT_MARKER`` the
marker file.
"""

import json
import os
import time
from pathlib import Path

from django.apps import AppConfig

PAUSE_SECONDS = 120  # the test kills the server long before


def _pause(marker: Path, written: dict) -> None:
    partial = marker.with_suffix(".partial")
    partial.write_text(json.dumps(written))
    partial.replace(marker)  # the test never reads half a file
    time.sleep(PAUSE_SECONDS)


def _payroll(marker: Path) -> None:
    """After the payroll row, its audit entry, the planned items and the payments are written,
    before the set-off of debts and the commit."""
    from gops.payments import services
    from gops.payments.models import Payment, ScheduleItem

    debts_set_off = services.debts_set_off

    def paused(*, actor, payroll):
        _pause(
            marker,
            {
                "payroll": payroll.pk,
                "payments": Payment.objects.filter(payroll=payroll).count(),
                "schedule_items": ScheduleItem.objects.filter(centre_id=payroll.centre_id).count(),
            },
        )
        return debts_set_off(actor=actor, payroll=payroll)

    services.debts_set_off = paused


def _placement(marker: Path) -> None:
    """After the placement row is written (the bed taken), before its audit entry and commit."""
    from gops.shelter import services
    from gops.shelter.models import Placement

    audit_record_change = services.audit_record_change

    def paused(*, instance, **kwargs):
        if isinstance(instance, Placement):
            _pause(marker, {"placement": instance.pk, "bed": instance.bed_id})
        return audit_record_change(instance=instance, **kwargs)

    services.audit_record_change = paused


class FaultInjection(AppConfig):
    name = "gops.core.tests.fault_injection"
    label = "fault_injection"

    def ready(self) -> None:
        where = os.environ["GOPS_FAULT_AT"]
        marker = Path(os.environ["GOPS_FAULT_MARKER"])
        {"payroll": _payroll, "placement": _placement}[where](marker)
