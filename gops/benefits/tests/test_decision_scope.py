"""Who sees which decision: written against the decision's party (for the register's speed on
a large city), it must give exactly the decisions of the applications the user may see."""

import pytest

from gops.benefits.models import Decision
from gops.benefits.selectors import decision_queryset_for_user
from gops.cases.models import Application
from gops.cases.selectors import application_queryset_for_user
from gops.payments.tests.finance_factories import issued_permanent

pytestmark = pytest.mark.django_db


def test_a_worker_sees_the_decisions_of_the_applications_they_may_see(
    worker_a, worker_b, head, finance, assistant
):
    own = issued_permanent(worker_a, head, number=1)
    other = issued_permanent(worker_b, head, number=2)
    assigned = issued_permanent(worker_b, head, number=3)
    # Another district's case handed to worker A: its decisions come with it.
    Application.objects.filter(pk=assigned.application_id).update(worker=worker_a)

    seen = set(decision_queryset_for_user(user=worker_a).values_list("pk", flat=True))
    assert seen == {own.pk, assigned.pk}
    assert set(decision_queryset_for_user(user=worker_b).values_list("pk", flat=True)) == {
        other.pk,
        assigned.pk,
    }
    for user in (worker_a, worker_b, head, assistant):
        via_applications = Decision.objects.filter(
            application__in=application_queryset_for_user(user=user)
        )
        assert set(decision_queryset_for_user(user=user)) == set(via_applications), user
    # Finance: the centre's issued decisions, for payments.
    assert set(decision_queryset_for_user(user=finance)) == {own, other, assigned}
