# riskreg: `make run` to try it, `make test` for the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_ENV := DEBUG=true
TEST_ENV := DEBUG=true TESTING=true
# Debian packages: Chromium for browser tests; fonts and HarfBuzz's subsetter for the PDF; wrk
# for the bench's load test.
SYSTEM_PACKAGES := chromium fonts-liberation fonts-dejavu-core libharfbuzz-subset0 wrk
# The task worker `make run` starts (riskreg/notify). With TASKS_BACKEND=redis:
# make run WORKER="rqworker default --job-class django_tasks_rq.Job"
WORKER ?= db_worker

.PHONY: install run test lint bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	# The task worker (emails, PDFs) runs beside the server and stops with it.
	$(DEV_ENV) $(BIN)/python manage.py $(WORKER) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .

test: install lint
	@command -v chromium >/dev/null && command -v wrk >/dev/null && fc-list | grep -q Liberation && ldconfig -p | grep -q harfbuzz-subset || \
		(test "$$(id -u)" = 0 && apt-get install -y -q $(SYSTEM_PACKAGES) >/dev/null) || \
		echo "Install $(SYSTEM_PACKAGES): browser and PDF tests need them"
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null
	$(TEST_ENV) $(BIN)/pytest -n 2 --dist loadfile -q

bench: install
	$(DEV_ENV) $(BIN)/python manage.py bench
