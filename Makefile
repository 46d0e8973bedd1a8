# GOPS — the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
UV_VERSION = 0.13.9
VENV = .venv
PY = $(VENV)/bin/python
UV = .tools/bin/uv
PORT ?= 8000
export UV_PROJECT_ENVIRONMENT = $(VENV)
export UV_PYTHON_DOWNLOADS = never

.PHONY: install demo serve test test-fast test-pg lint format messages bench bench-payroll bench-reports bench-load clean chromium

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed messages

messages: $(VENV)/.installed
	$(PY) manage.py compile_translations

# The web server and, beside it, the consumer of background jobs (exports, nightly lists).
SERVE = $(PY) manage.py run_huey --quiet & consumer=$$!; trap "kill $$consumer" EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

demo: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	@echo "GOPS: http://127.0.0.1:$(PORT)"
	$(SERVE)

serve: install
	$(SERVE)

# Browser tests need Debian's chromium; root installs it, anyone else is told loudly.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "!!!!!! /usr/bin/chromium missing and not root: browser tests will be SKIPPED (sudo apt-get install chromium)"; \
	  fi; \
	fi

test: install node_modules/.installed chromium
	$(PY) manage.py makemigrations --check --dry-run >/dev/null
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test-fast: install
	$(PY) -m pytest -n 2 -m "not browser" $(PYTEST_ARGS)

test-pg: install node_modules/.installed chromium
	DATABASE_URL=$${TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/gops} $(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Every benchmark of the large city (BENCH_CITY_URL, default gops_city: `make bench-generate`
# makes it) against its baseline; rewrites the summary in docs/performance.md.
bench: install
	$(PY) bench/suite.py $(BENCH_ARGS)

# Payroll speed on its own 20,000-decision data set (BENCH_DATABASE_URL, default gops_bench).
bench-payroll: install
	$(PY) bench/payroll.py

# MRPiPS-03 on 100,000 households and 1,000,000 payments (BENCH_DATABASE_URL): docs/performance.md.
bench-reports: install
	$(PY) bench/reports.py

# 50 staff users on gunicorn and PostgreSQL over loopback for 2 minutes (BENCH_LOAD_DATABASE_URL;
# BENCH_LOAD_ARGS=--quick for a 10-second run): docs/performance.md, "Load".
bench-load: install
	$(PY) bench/load.py $(BENCH_LOAD_ARGS)

# A large city's centre with ten years of history, PERSONS persons, in PostgreSQL
# (BENCH_DATABASE_URL, default gops_city; made again each time): docs/performance.md,
# "Large city data set". GENERATE_ARGS=--check also signs in and opens pages on it.
PERSONS ?= 1000000
.PHONY: bench-generate
bench-generate: install
	$(PY) bench/generate.py --persons $(PERSONS) --seed 1 --fresh $(GENERATE_ARGS)

clean:
	rm -rf $(VENV) .tools node_modules
