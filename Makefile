# 中小企业信息化公共服务平台 — the commands a newcomer needs. See README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

.PHONY: run test test-browser lint typecheck bench bench-batch messages clean

$(STAMP): pyproject.toml scripts/ensure-system-packages.sh
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11（找不到 $(PYTHON)）"; exit 1; }
	@bash scripts/ensure-system-packages.sh
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

## make run: install, migrate the SQLite database under var/, load demo data once, serve on :8000
run: $(STAMP)
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	@test -f var/.demo-loaded || { $(PY) manage.py load_demo && touch var/.demo-loaded; }
	$(PY) manage.py demo_logins
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

## make test: the whole suite (DATABASE_URL picks the database; SQLite in memory by default), pytest
## in parallel on every core (pytest-xdist; each worker gets its own test database)
test: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check --quiet sme config bench/benchdata
	$(BIN)/mypy sme config bench/benchdata
	$(BIN)/pytest -q -n auto

## make test-browser: the Playwright tests in Debian's headless Chromium (/usr/bin/chromium)
test-browser: $(STAMP)
	$(BIN)/pytest -q -m browser

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy sme config

## make bench [SCENARIOS=a,b]: benchmarks against a real gunicorn; writes bench/results/latest.json
bench: $(STAMP)
	$(PY) bench/run.py $(if $(SCENARIOS),--scenarios $(SCENARIOS),)

## make bench-batch: the in-process benchmarks (import, reclassification, scoring, peer tables,
## workflow transitions, the daily certification job) against PostgreSQL; each writes bench/results/<name>.json
bench-batch: $(STAMP)
	$(PY) bench/batch_enterprises.py
	$(PY) bench/batch_assessment.py
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/sme_bench $(PY) bench/batch_certification.py
	$(PY) bench/batch_certification_lifecycle.py

## make messages: refresh the English catalogue after changing user-visible strings
messages: $(STAMP)
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=bench
	$(PY) manage.py makemessages -d djangojs -l en --ignore=.venv --ignore=var --ignore=bench --ignore=sme/static/vendor
	$(PY) manage.py compilemessages -l en --ignore=.venv --ignore=var

clean:
	rm -rf $(VENV) var/static
