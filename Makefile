# Treatment-resistant depression information assistant (Rasa 3.6).
# `make help` lists the targets. Everything a target needs is set up on demand.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
BIN         := $(VENV)/bin
RASA        := $(BIN)/rasa
PYTHON      := $(BIN)/python
MODEL_NAME  := trd-assistant
MODEL       := models/$(MODEL_NAME).tar.gz
HOST        ?= 127.0.0.1
PORT        ?= 5005

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL   := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONHASHSEED := 0

TRAINING_INPUTS := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null)

WEB_DEPS    := web/node_modules/.package-lock.json

.PHONY: help install train chat run web lint test test-unit test-crisis validate test-stories test-nlu test-e2e test-browser clean compare-reply-times

help: ## Show this list
	@echo "Usage: make <target>"
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-13s %s\n", $$1, $$2}'

install: $(VENV)/.installed ## Create .venv with a Python 3.8-3.10 and install pinned dependencies

$(VENV)/.installed: pyproject.toml
	@python_bin="$$(scripts/find_python.sh)" || exit 1; \
	  echo "Using $$python_bin"; \
	  [ -x $(PYTHON) ] || "$$python_bin" -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade "pip<25"
	$(PYTHON) -m pip install --quiet -e '.[test]'
	$(PYTHON) -m pip check
	@touch $@

# Rasa skips training when nothing that matters changed; touch so make agrees.
$(MODEL): $(TRAINING_INPUTS) | $(VENV)/.installed
	$(RASA) train --fixed-model-name $(MODEL_NAME) --out models
	@touch $@

train: $(VENV)/.installed ## Train the model (always)
	$(RASA) train --fixed-model-name $(MODEL_NAME) --out models --force

chat: $(MODEL) ## Chat in the terminal (trains first if data, config or domain changed)
	@echo "Pick a button with the arrow keys and Enter, or choose 'Type out your own message...'. /stop or Ctrl-C ends."
	PYTHONWARNINGS=ignore scripts/with_action_server.sh $(RASA) shell --model $(MODEL) --endpoints endpoints.yml \
	  --quiet --interface 127.0.0.1

run: $(MODEL) ## Serve the REST channel on $(HOST):$(PORT) with the action server (HTTP API off)
	PYTHONWARNINGS=ignore scripts/with_action_server.sh $(RASA) run --model $(MODEL) --endpoints endpoints.yml \
	  --credentials credentials.yml --interface $(HOST) --port $(PORT)

$(WEB_DEPS): web/package.json web/package-lock.json
	cd web && npm ci

web: $(MODEL) $(WEB_DEPS) ## Chat page on http://127.0.0.1:8080 (socket.io on 127.0.0.1:5005, action server); Ctrl-C stops all
	scripts/serve_web.sh

lint: $(VENV)/.installed ## ruff on the Python code
	$(BIN)/ruff check actions safety nlu_components scripts tests

validate: $(VENV)/.installed ## Check the training data and domain (rasa data validate --fail-on-warnings)
	$(RASA) data validate --fail-on-warnings

test-unit: $(VENV)/.installed ## pytest: crisis detector, custom components, actions, content
	$(PYTHON) -m pytest tests --ignore=tests/e2e --ignore=tests/browser -q

test-crisis: $(VENV)/.installed ## Crisis detector against every labelled corpus (recall, false positives, speed)
	$(PYTHON) -m pytest tests/test_crisis_detector.py -q

test-stories: $(MODEL) ## rasa test: conversation stories must match exactly
	$(RASA) test core --e2e --model $(MODEL) --stories tests/test_stories.yml --fail-on-prediction-errors --out results/stories

test-nlu: $(MODEL) ## Held-out NLU phrasings: intent and answer-selection accuracy against a floor
	$(PYTHON) scripts/check_nlu_heldout.py --model $(MODEL)

test-e2e: $(MODEL) ## Through a running Rasa server over REST: crisis route (action server up and down), reply times
	$(PYTHON) -m pytest tests/e2e -q

test-browser: $(MODEL) $(WEB_DEPS) ## The chat page in headless Chromium (installs Debian's chromium if missing); screenshots in tests/screenshots/
	scripts/install_browser.sh
	$(PYTHON) -m pytest tests/browser -q

test: $(VENV)/.installed ## Everything CI checks
	$(MAKE) lint
	$(MAKE) test-unit
	$(MAKE) validate
	$(MAKE) $(MODEL)
	$(MAKE) test-stories
	$(MAKE) test-nlu
	$(MAKE) test-e2e
	$(MAKE) test-browser

clean: ## Remove the model, results and run files (keeps .venv)
	rm -rf models results .run tracker.db tests/screenshots .cache

compare-reply-times: $(MODEL) ## p95 REST reply time against the same data trained with Rasa's default config (slow)
	$(PYTHON) scripts/compare_reply_times.py
