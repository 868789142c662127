# Set-up and everyday commands. Each target creates .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test test-fast validate fmt clean engine-pages site-mkdocs-plain site-zensical site-properdocs

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

## test: run the whole test suite (Zensical's test too when .venv-zensical installs; a failed
##       install only makes that test skip)
test: $(VENV)/.test-deps
	-$(MAKE) --no-print-directory $(ZENSICAL_VENV)/bin/zensical
	$(BIN)/python -m pytest

## test-fast: every test but the browser and full-build ones, on every core, each `atlas` run
##            forked from the test process instead of a new interpreter, each property with a
##            tenth of its examples (Hypothesis profile `fast`; `make test` uses `ci`)
test-fast: $(VENV)/.test-deps
	ATLAS_TEST_FORK=1 $(BIN)/python -m pytest -n auto -m "not browser and not full_build" --hypothesis-profile=fast

## validate: check every record
validate: $(BIN)/atlas
	$(BIN)/atlas validate

## fmt: rewrite records in canonical form
fmt: $(BIN)/atlas
	$(BIN)/atlas fmt

## Other engines build the pages `atlas generate` writes (CONTENT=DIR picks another content folder).
CONTENT ?= content
ENGINE_DOCS := build/engines/docs
ZENSICAL_VENV := .venv-zensical
ZENSICAL_VERSION := 0.0.73

## engine-pages: generated and hand-written pages into build/engines/docs
engine-pages: $(BIN)/atlas
	rm -rf $(ENGINE_DOCS)
	$(BIN)/atlas generate --content $(CONTENT) --docs docs --out $(ENGINE_DOCS)

## site-mkdocs-plain: MkDocs without the atlas plugin (mkdocs-plain.yml) into build/site-mkdocs-plain
site-mkdocs-plain: engine-pages
	$(BIN)/mkdocs build --strict -f mkdocs-plain.yml

$(ZENSICAL_VENV)/bin/zensical:
	$(PYTHON) -m venv $(ZENSICAL_VENV)
	$(ZENSICAL_VENV)/bin/python -m pip install --quiet zensical==$(ZENSICAL_VERSION)

## site-zensical: Zensical, in its own .venv-zensical (zensical.yml), into build/site-zensical
site-zensical: engine-pages $(ZENSICAL_VENV)/bin/zensical
	$(ZENSICAL_VENV)/bin/zensical build -f zensical.yml

## site-properdocs: ProperDocs (the maintained fork of MkDocs 1.6) with the atlas plugin, into site/
site-properdocs: $(VENV)/.test-deps
	$(BIN)/properdocs build --strict -f mkdocs.yml

clean:
	rm -rf site build/engines build/site-mkdocs-plain build/site-zensical .pytest_cache
