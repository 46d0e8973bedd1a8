from datetime import timedelta

from django.utils import timezone

from gops.activities import services
from gops.activities.models import Activity


def make_activity(*, actor, capacity: int = 10, sessions: int = 1, **data) -> Activity:
    start = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    defaults = dict(title="Wyjście do teatru", place="Teatr Miejski", capacity=capacity)
    defaults.update(data)
    return services.activity_create(
        actor=actor,
        data=defaults,
        sessions=[
            (start + timedelta(weeks=w), start + timedelta(weeks=w, hours=2))
            for w in range(sessions)
        ],
    )
