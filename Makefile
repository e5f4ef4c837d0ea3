# Lianxin — every target bootstraps what it needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PYTHONPATH := src
export DJANGO_SETTINGS_MODULE ?= lianxin.settings

.PHONY: run test test-fast lint format migrate demo messages serve clean bench bench-full

$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Lianxin needs Python 3.11 or newer")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

venv: $(VENV)/.installed

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py print_logins --port $(PORT)
	PORT=$(PORT) $(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py lianxin.wsgi

test: $(VENV)/.installed
	$(VENV)/bin/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

test-fast: $(VENV)/.installed
	$(VENV)/bin/pytest -n 2 --dist loadfile -m "not browser and not slow" $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy src

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Refresh the English catalogs from the Chinese source strings, then compile them (decision 0002).
MAKEMESSAGES := ../../$(PY) ../../manage.py makemessages -l en --no-obsolete --add-location file --ignore 'static/vendor/*'
messages: $(VENV)/.installed
	cd src/lianxin && $(MAKEMESSAGES) -d django && $(MAKEMESSAGES) -d djangojs && ../../$(PY) ../../manage.py compilemessages -l en

# Benchmarks (issue 7, bench/README.md): PostgreSQL must be running; the bench database is
# created when missing. Never part of `make test` or CI.
bench: $(VENV)/.installed
	$(PY) bench/run.py --scale small $(BENCH_ARGS)

bench-full: $(VENV)/.installed
	$(PY) bench/run.py --scale full $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
