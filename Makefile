# Marsad: `make demo` and `make test` do all set-up on a fresh machine (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := out/demo

.PHONY: demo test install dev browser lint bench eval clean serve report

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.dev: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

## browser: Debian's Chromium for the web UI's browser tests (skipped with a reason without it)
browser:
	@if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		($$SUDO apt-get install -y -q chromium || ($$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium)) \
		|| echo "Chromium could not be installed: the browser tests will be skipped."; \
	fi

install: $(VENV)/.installed

dev: $(VENV)/.dev browser

## demo: install, analyse the bundled demo corpus, export the results
demo: install
	mkdir -p $(OUT)
	$(BIN)/marsad analyze examples/demo --db $(OUT)/marsad.db --max-file-size 256KiB \
		--catalog examples/catalog/demo_catalog.csv
	$(BIN)/marsad export --db $(OUT)/marsad.db --what articles --format jsonl --out $(OUT)/articles.jsonl
	$(BIN)/marsad export --db $(OUT)/marsad.db --what articles --format csv --out $(OUT)/articles.csv
	$(BIN)/marsad export --db $(OUT)/marsad.db --what claims --format jsonl --out $(OUT)/claims.jsonl
	$(BIN)/marsad export --db $(OUT)/marsad.db --what claims --format csv --out $(OUT)/claims.csv
	$(BIN)/marsad export --db $(OUT)/marsad.db --what actors --format jsonl --out $(OUT)/actors.jsonl
	$(BIN)/marsad export --db $(OUT)/marsad.db --what reuse-families --format jsonl --out $(OUT)/reuse-families.jsonl
	$(BIN)/marsad export --db $(OUT)/marsad.db --what outlet-reuse --format gexf --out $(OUT)/outlet-reuse.gexf
	$(BIN)/marsad report --db $(OUT)/marsad.db --out $(OUT)/report
	@echo "Results: store $(OUT)/marsad.db; exports in $(OUT)/ (articles, claims, actors, reuse-families, outlet-reuse.gexf)"
	@echo "Static report: $(OUT)/report/index.html; the web UI: make serve (http://127.0.0.1:8000/)"

## serve: the web UI over the demo store
serve: demo
	$(BIN)/marsad serve --db $(OUT)/marsad.db

## lint: formatting, lint and strict type checks
lint: $(VENV)/.dev
	$(BIN)/ruff format --check src tests benchmarks eval tools
	$(BIN)/ruff check src tests benchmarks eval tools
	$(BIN)/mypy

## test: install the development tools, lint, type-check and run the whole test suite
test: lint browser
	$(BIN)/python -m pytest -q

## bench: speed and memory on SaudiNewsNet samples (needs ../shared/data)
bench: install
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_claims.py
	$(BIN)/python benchmarks/bench_narratives.py

clean:
	rm -rf $(VENV) out .mypy_cache .ruff_cache .pytest_cache
