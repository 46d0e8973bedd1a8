"""gunicorn settings for GOPS: `gunicorn config.wsgi` in the repository root reads this file.

Everything comes from environment variables, so the same file serves production, a laptop and
the load benchmark (bench/load.py, docs/performance.md):

- `PORT`: the port to listen on (8000);
- `GUNICORN_BIND`: full address(es), comma-separated, instead of 127.0.0.1:$PORT;
- `GUNICORN_WORKERS`: worker processes (one per core);
- `GUNICORN_THREADS`: threads per worker, gthread worker (8); 1 selects the sync worker;
- `GUNICORN_TIMEOUT`: seconds before a silent worker is killed and restarted (120);
- `GUNICORN_MAX_REQUESTS`: requests before a worker is recycled (0: never);
- `GUNICORN_ACCESS_LOG`: access log file, `-` for stdout, empty for none (`-`).

Listening on 127.0.0.1 by default: GOPS sits behind a reverse proxy that terminates TLS
(set `BEHIND_TLS_PROXY=1`). The access log carries no personal data: the path without its query
string, no client address, no referrer (it carries the previous page's query string) and no user
agent.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


_port = _int("PORT", 8000)
bind = [
    address.strip()
    for address in os.environ.get("GUNICORN_BIND", f"127.0.0.1:{_port}").split(",")
    if address.strip()
]

# One process per core, each with a pool of threads: a person's file loads its seven htmx
# panels at once, and threads serve such a burst side by side (and keep connections alive)
# where sync workers queue it. bench/load.py measured 2 × 8 against 5 sync workers and 3 × 4
# on 2 cores: the lowest p95 as the users see it (docs/performance.md, "Load"). Each thread
# keeps its own database connection (CONN_MAX_AGE): workers × threads must stay well below
# PostgreSQL's max_connections (100 by default), with room for huey and maintenance.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count())
threads = _int("GUNICORN_THREADS", 8)
worker_class = "gthread" if threads > 1 else "sync"

# A payroll of a large city is generated within the request (about 10 s for 20,000 items on
# the first generation of a month: docs/performance.md); 120 s leaves room on a busy server.
timeout = _int("GUNICORN_TIMEOUT", 120)
graceful_timeout = 30
keepalive = 5
# Workers are not recycled by default (gunicorn's own default): a new worker loads Django
# while the others carry its share, and bench/load.py measured p95 405 ms with a recycle every
# 2,000 requests against 161 ms without. Set it (e.g. 20000) to bound a slow leak.
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10

# Several servers on one machine (tests, benchmarks) must not share one control socket.
control_socket_disable = True

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# %(U)s is the path without the query string; %(M)s the duration in milliseconds.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
