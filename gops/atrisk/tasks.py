"""The nightly refresh of every centre's lists (huey periodic task)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="2", minute="30"))
def atrisk_refresh_nightly():
    from .services import atrisk_refresh_all

    # Nothing returned: the counts (the Blue Card list's too) stay out of the result store.
    atrisk_refresh_all()
