"""Huey tasks (the consumer, ``manage.py run_huey``, imports this module)."""

from huey.contrib.djhuey import db_task

from . import services


@db_task()
def job_run_task(job_id: int) -> None:
    services.job_run(job_id=job_id)
