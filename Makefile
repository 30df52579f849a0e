# Two commands set everything up on a fresh machine with python3 (3.11+) and make:
#   make run    virtualenv, install, migrate, seed + demo data, static files, serve on 127.0.0.1:$(PORT)
#   make test   the whole test suite (SQLite unless DATABASE_URL is set)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
# Local serving is plain HTTP on loopback: no HTTPS redirect. DEBUG stays off, as in production.
# The secret key is read from var/secret_key (cchc_dashboard/settings/security.py).
RUN_ENV := DJANGO_SECURE=0 DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost CCHC_SITE_URL=http://127.0.0.1:$(PORT)
PLOTLY_JS := static/vendor/plotly.min.js

.PHONY: run serve setup install install-dev migrate seed demo static messages test-deps test lint format bench bench-hostile loadtest clean

run: setup
	$(RUN_ENV) $(BIN)/gunicorn cchc_dashboard.wsgi --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile -

setup: install var/secret_key migrate seed demo static

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

var/secret_key:
	mkdir -p var
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

migrate: install var/secret_key
	$(RUN_ENV) $(MANAGE) migrate --no-input

# Adds the registry units and fixture rows that are missing; a stored row is never changed, only reported
# (indicators/seeding.py, services/units.py). `manage.py load_units` applies a registry update.
seed: migrate
	$(RUN_ENV) $(MANAGE) seed
	$(RUN_ENV) $(MANAGE) load_units --only-missing
	$(RUN_ENV) $(MANAGE) load_criteria_set

# Last: demo data fills only what has no figure yet, so every real figure (seed's fixtures, published
# provincial results) is loaded before it, and a demo value never sits where a real one belongs.
demo: seed
	$(RUN_ENV) $(MANAGE) demo_data

# plotly.js: a partial bundle built from npm's plotly.js source with esbuild (static/src/plotly-partial.js:
# the core with scatter and bar, what the chart builders draw), else, without npm, the full copy inside
# the plotly pip package. No source map is written, so the manifest storage has no .map to look for.
PLOTLY_SRC := static/src/plotly-partial.js static/src/culori-lite.mjs static/src/gl-mat4-lite.js
ESBUILD_PLOTLY := --bundle --minify --format=iife --global-name=Plotly --target=es2016 --log-level=warning \
  --define:global=window --define:define.amd=false --loader:.css=empty \
  --alias:culori=./static/src/culori-lite.mjs --alias:gl-mat4=./static/src/gl-mat4-lite.js
$(PLOTLY_JS): package.json $(PLOTLY_SRC) $(VENV)/.installed
	mkdir -p static/vendor
	if command -v npm >/dev/null 2>&1 && npm install --no-audit --no-fund --loglevel=error \
	  && node_modules/.bin/esbuild $(word 1,$(PLOTLY_SRC)) $(ESBUILD_PLOTLY) --outfile=$@ \
	    --banner:js="/*! plotly.js $$(node -p 'require("plotly.js/package.json").version') partial bundle (scatter, bar) | MIT licence, static/vendor/plotly.LICENSE */"; then \
	  cp node_modules/plotly.js/LICENSE static/vendor/plotly.LICENSE; \
	  if [ -f node_modules/axe-core/axe.min.js ]; then cp node_modules/axe-core/axe.min.js static/vendor/axe.min.js; fi; \
	else \
	  echo "npm not found or the bundle failed: using the full plotly.js bundled with the plotly pip package"; \
	  cp "$$($(BIN)/python -c 'import plotly, pathlib; print(pathlib.Path(plotly.__file__).parent / "package_data" / "plotly.min.js")')" $@; \
	fi

# axe-core, for the browser tests' accessibility checks: comes with the npm install above.
AXE_JS := static/vendor/axe.min.js
$(AXE_JS): $(PLOTLY_JS)
	if [ ! -f $@ ] && command -v npm >/dev/null 2>&1 && npm install --no-audit --no-fund --loglevel=error; then \
	  cp node_modules/axe-core/axe.min.js $@; \
	fi
	@test -f $@ || echo "$@: no npm here, so the browser tests will skip their accessibility checks"

# tom-select, the searchable unit picker (static/js/unit-picker.js): comes with the npm install above.
# Without npm the picker stays the plain multi-select it enhances (the pages work without it).
TOM_SELECT_JS := static/vendor/tom-select/tom-select.popular.min.js
$(TOM_SELECT_JS): $(PLOTLY_JS)
	if [ ! -f node_modules/tom-select/package.json ] && command -v npm >/dev/null 2>&1; then \
	  npm install --no-audit --no-fund --loglevel=error; \
	fi
	if [ -f node_modules/tom-select/package.json ]; then \
	  mkdir -p static/vendor/tom-select; \
	  cp node_modules/tom-select/dist/js/tom-select.popular.min.js $@; \
	  cp node_modules/tom-select/dist/js/tom-select.popular.min.js.map $@.map; \
	  cp node_modules/tom-select/dist/css/tom-select.min.css node_modules/tom-select/dist/css/tom-select.min.css.map static/vendor/tom-select/; \
	  cp node_modules/tom-select/LICENSE static/vendor/tom-select/LICENSE; \
	fi
	@test -f $@ || echo "$@: no npm here, so the unit picker stays a plain multi-select"

messages: install
	if command -v msgfmt >/dev/null 2>&1; then DJANGO_DEBUG=1 $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0; fi

static: $(PLOTLY_JS) $(TOM_SELECT_JS) messages var/secret_key
	$(RUN_ENV) $(MANAGE) collectstatic --no-input -v0

# test-deps alone: what the suite needs built first. .ci/run builds it once, then runs several suites
# side by side, which must not each rerun npm and compilemessages over the same files.
test-deps: install-dev $(PLOTLY_JS) $(AXE_JS) $(TOM_SELECT_JS) messages

test: test-deps
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# bench/run.py (server times, throughput), then bench/lighthouse.py (first-visit bytes as served,
# Lighthouse's mobile preset with Debian's Chromium: bench/README.md).
bench: install-dev $(PLOTLY_JS) $(TOM_SELECT_JS) messages
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/lighthouse.py $(LIGHTHOUSE_ARGS)

# Two hostile uploads at once against gunicorn: /healthz latency and worker memory (bench/README.md).
bench-hostile: install-dev $(PLOTLY_JS) messages
	$(BIN)/python bench/hostile_uploads.py $(HOSTILE_ARGS)

# 60 s of public reads mixed with draft saves against gunicorn on 127.0.0.1 (bench/README.md); not in `make test`.
loadtest: install-dev $(PLOTLY_JS) messages
	$(BIN)/python bench/loadtest.py $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) var staticfiles static/vendor node_modules .pytest_cache .ruff_cache
