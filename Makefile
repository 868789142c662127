# Set-up and everyday commands. Each target creates .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test validate fmt clean

$(BIN)/atlas: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-deps: $(BIN)/atlas
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## site: build the site from content/ into site/
site: $(BIN)/atlas
	$(BIN)/atlas build --site-dir site

## serve: live preview on http://127.0.0.1:8000 (an edited record shows within seconds:
##        --dirty rebuilds only the pages whose Markdown changed)
serve: $(BIN)/atlas
	$(BIN)/mkdocs serve --dirty

## test: run the whole test suite
test: $(VENV)/.test-deps
	$(BIN)/python -m pytest

## validate: check every record
validate: $(BIN)/atlas
	$(BIN)/atlas validate

## fmt: rewrite records in canonical form
fmt: $(BIN)/atlas
	$(BIN)/atlas fmt

clean:
	rm -rf site .pytest_cache
