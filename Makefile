# riskreg: `make run` to try it, `make test` for the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_ENV := DEBUG=true
TEST_ENV := DEBUG=true TESTING=true

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
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .

test: install lint
	@command -v chromium >/dev/null && fc-list | grep -q Liberation || \
		(test "$$(id -u)" = 0 && apt-get install -y -q chromium fonts-liberation fonts-dejavu-core >/dev/null) || \
		echo "Install chromium, fonts-liberation and fonts-dejavu-core: browser and PDF tests need them"
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null
	$(TEST_ENV) $(BIN)/pytest -n 2 --dist loadfile -q

bench: install
	$(DEV_ENV) $(BIN)/python manage.py bench
