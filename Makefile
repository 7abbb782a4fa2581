# Two commands (see README): `make demo` and `make test`. Both build a local virtualenv from
# pyproject.toml with a non-editable install, so what runs is what a user would install.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= $(CURDIR)/.crosswalk-store

.PHONY: demo test lint bench bench-http bench-surface bench-engines bench-reports screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml $(shell find ontology graph queries api -type f -not -path '*/__pycache__/*')
	$(BIN)/python -m pip install --quiet ".[test]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/crosswalk ingest --store $(STORE)
	$(BIN)/crosswalk query shared-concepts -p a=EU -p b=US-CO --store $(STORE)
	$(BIN)/crosswalk report EU US-CO KR --format html -o harmonization-report.html --store $(STORE)
	@echo "The corpus is in $(STORE). To ask it more: export CROSSWALK_STORE=$(abspath $(STORE)); . $(VENV)/bin/activate; crosswalk compare EU KR"

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --config-file pyproject.toml -p crosswalk.graph -p crosswalk.queries -p crosswalk.ontology -p crosswalk.api

test: lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(STORE) build *.egg-info harmonization-report.html

bench: $(VENV)/.installed
	cd bench && ../$(BIN)/python run.py
	cd bench && ../$(BIN)/python assess.py

# wrk (Debian's package) drives the load: `apt-get install wrk` where it is missing
bench-http: $(VENV)/.installed
	@command -v wrk >/dev/null || { echo "bench-http needs wrk: apt-get install wrk"; exit 1; }
	cd bench && ../$(BIN)/python http_load.py
	cd bench && ../$(BIN)/python serve_load.py  # memory and the attack (its rates come from a Python client)

bench-surface: $(VENV)/.installed
	cd bench && ../$(BIN)/python surface.py

# ingest, matrix and compare on the embedded store, `oxigraph serve` and Virtuoso (docs/performance.md)
bench-engines: $(VENV)/.installed
	cd bench && ../$(BIN)/python engines.py

bench-reports: $(VENV)/.installed
	cd bench && ../$(BIN)/python reports.py

# Pictures for the docs, into docs/screenshots/. One section per part of the app.
screenshots: $(VENV)/.installed
	# the workbench: heat map and an opened finding (Debian's chromium, driven by Playwright)
	$(BIN)/python bench/screenshots.py --store $(STORE)
	# reports: first page, heat map and annex of the four-party report (poppler-utils; docs/reports.md)
	bench/screenshots_report.sh $(BIN)/crosswalk $(STORE)
