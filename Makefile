# Marsad: `make demo` and `make test` do all set-up on a fresh machine (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := out/demo

.PHONY: demo test install dev lint bench eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.dev: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev

## demo: install, analyse the bundled demo corpus, export the results
demo: install
	mkdir -p $(OUT)
	$(BIN)/marsad analyze examples/demo --db $(OUT)/marsad.db --max-file-size 256KiB
	$(BIN)/marsad export --db $(OUT)/marsad.db --what articles --format jsonl --out $(OUT)/articles.jsonl
	$(BIN)/marsad export --db $(OUT)/marsad.db --what articles --format csv --out $(OUT)/articles.csv
	$(BIN)/marsad export --db $(OUT)/marsad.db --what claims --format jsonl --out $(OUT)/claims.jsonl
	$(BIN)/marsad export --db $(OUT)/marsad.db --what claims --format csv --out $(OUT)/claims.csv
	$(BIN)/marsad export --db $(OUT)/marsad.db --what actors --format jsonl --out $(OUT)/actors.jsonl
	$(BIN)/marsad export --db $(OUT)/marsad.db --what reuse-families --format jsonl --out $(OUT)/reuse-families.jsonl
	$(BIN)/marsad export --db $(OUT)/marsad.db --what outlet-reuse --format gexf --out $(OUT)/outlet-reuse.gexf
	@echo "Results: store $(OUT)/marsad.db; exports in $(OUT)/ (articles, claims, actors, reuse-families, outlet-reuse.gexf)"

## lint: formatting, lint and strict type checks
lint: dev
	$(BIN)/ruff format --check src tests benchmarks eval tools
	$(BIN)/ruff check src tests benchmarks eval tools
	$(BIN)/mypy

## test: install the development tools, lint, type-check and run the whole test suite
test: lint
	$(BIN)/python -m pytest -q

## bench: speed and memory on SaudiNewsNet samples (needs ../shared/data)
bench: install
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_claims.py

clean:
	rm -rf $(VENV) out .mypy_cache .ruff_cache .pytest_cache
