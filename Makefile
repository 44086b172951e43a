# The README's two commands are `make run` and `make test`; CI runs `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test prometheus kafka clean

$(BIN)/raqib: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is needed" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# Fetch Apache Kafka from Maven Central into ~/.cache/raqib (once).
kafka: $(BIN)/raqib
	$(BIN)/raqib broker --prepare

# Prometheus (and promtool) from Debian's packages, for the observability tests.
prometheus:
	@command -v prometheus >/dev/null && command -v promtool >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null; }
	@command -v prometheus >/dev/null && prometheus --version 2>&1 | head -1

# Start a local Kafka and a worker, push seeds/, show the events.
run: kafka
	$(BIN)/raqib demo

# Install everything the tests need and run the whole suite.
test: kafka prometheus
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest -ra

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
