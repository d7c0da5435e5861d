# Two commands: `make demo` and `make test`. Both install into .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: demo test install install-dev clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/tanggap demo --port $(PORT)

test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

messages:
	cd tanggap && ../$(BIN)/django-admin makemessages -l id -l ms -l en --settings=tanggap.settings && ../$(BIN)/django-admin compilemessages --settings=tanggap.settings

clean:
	rm -rf $(VENV) var
