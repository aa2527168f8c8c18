# Two commands for a newcomer: `make demo` runs the product with demo data, `make test` the tests.
# Both install what they need (uv, the locked Python packages, Debian's chromium for browser tests).

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= data/demo.duckdb
PORT ?= 8501

.PHONY: demo test bench env dev-env browser lint format app clean

$(BIN)/epn: pyproject.toml uv.lock
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	python3 -m uv sync --frozen --all-groups --compile-bytecode
	@touch $(BIN)/epn

env: $(BIN)/epn

browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

demo: env
	rm -f $(DEMO_DB) $(DEMO_DB).wal
	EPN_DB=$(DEMO_DB) $(BIN)/epn demo
	@echo
	@echo "  L'application tourne sur http://127.0.0.1:$(PORT)  (Ctrl+C pour arrêter)"
	@echo
	EPN_DB=$(DEMO_DB) $(BIN)/streamlit run dashboards/server.py --server.address 127.0.0.1 --server.port $(PORT) --server.headless true

app: env
	$(BIN)/streamlit run dashboards/server.py --server.address 127.0.0.1 --server.port $(PORT) --server.headless true

test: env browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

bench: env
	$(BIN)/python -m bench.run

lint: env
	$(BIN)/ruff check .

format: env
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache test-output
