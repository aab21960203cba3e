# Sahabat: `make demo` and `make test` are all a newcomer needs (Python 3.11 and make).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test unit bench lint schemas clean chromium

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip 2>&1 | grep -v "is ignored" || true
	@$(PY) -m pip install --quiet -e '.[dev]' 2>&1 | grep -v "is ignored" || true
	@$(PY) -c "import shared, services, sahabat, faststream, asyncpg, nats, pytest" 
	@touch $(STAMP)

# make demo REGIONS=jatim,jabar,papua  (default: jatim and jabar)
demo: $(STAMP)
	$(VENV)/bin/sahabat demo $(if $(REGIONS),--regions $(REGIONS))

test: $(STAMP) chromium
	$(PY) -m pytest -q

unit: $(STAMP)
	$(PY) -m pytest -q tests/unit

bench: $(STAMP)
	$(PY) -m bench

# Type-checked: shared/ and every service's domain and handlers (whichever of them exist).
LINTED := shared services sahabat tests bench
TYPED = shared $(wildcard services/*/domain services/*/domain.py services/*/handlers services/*/handlers.py)

lint: $(STAMP)
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)
	$(VENV)/bin/mypy $(TYPED)

schemas: $(STAMP)
	$(VENV)/bin/sahabat schemas

# The pages' tests drive Debian's chromium: installed here when missing and we are root (as CI
# is); otherwise one line says what to install.
CHROMIUM ?= /usr/bin/chromium
chromium:
	@test -x $(CHROMIUM) || { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; \
	 else echo "The browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; fi; }

clean:
	rm -rf $(VENV) .pytest_cache
