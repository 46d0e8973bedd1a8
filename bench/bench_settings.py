"""Settings of the HTTP benchmarks only (bench/person_page.py): the project's settings with a
URL configuration that adds a bare view beside the application's pages, so that both run on
the same gunicorn behind the same middleware. Never used outside bench/ (bench/ must be on
PYTHONPATH: httpbench.Server(pythonpath=...) puts it there)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
