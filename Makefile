# Sahabat: `make demo` and `make test` are all a newcomer needs (Python 3.11 and make).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test unit bench lint schemas clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip 2>&1 | grep -v "is ignored" || true
	@$(PY) -m pip install --quiet -e '.[dev]' 2>&1 | grep -v "is ignored" || true
	@$(PY) -c "import shared, services, sahabat, faststream, asyncpg, nats, pytest" 
	@touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/sahabat demo

test: $(STAMP)
	$(PY) -m pytest -q

unit: $(STAMP)
	$(PY) -m pytest -q tests/unit

bench: $(STAMP)
	$(PY) -m bench

lint: $(STAMP)
	$(VENV)/bin/ruff check shared services sahabat tests bench
	$(VENV)/bin/mypy shared

schemas: $(STAMP)
	$(VENV)/bin/sahabat schemas

clean:
	rm -rf $(VENV) .pytest_cache
