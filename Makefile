# Lentera: the two commands of the Quick start are `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install db courses demo i18n i18n-extract i18n-update i18n-compile lint screenshots bench serve clean

run: install db courses demo
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(STAMP) i18n-compile

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
	touch $(STAMP)

db: install
	$(FLASK) db upgrade

courses: db
	$(FLASK) courses sync

demo: courses
	$(FLASK) demo

# Translations: extract the strings, merge them into the catalogues, compile them.
i18n: i18n-extract i18n-update i18n-compile

i18n-extract:
	$(BIN)/pybabel extract --no-location --sort-by-file -F babel.cfg -k _l -k lazy_gettext -o lms/translations/messages.pot .

i18n-update:
	$(BIN)/pybabel update --no-fuzzy-matching -i lms/translations/messages.pot -d lms/translations

i18n-compile:
	$(BIN)/pybabel compile --statistics -d lms/translations

# ruff (lint and format), mypy on lms/, the import-linter layers, the course packs.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(FLASK) courses check

screenshots: install
	$(BIN)/python docs/make_screenshots.py

bench: install
	$(BIN)/python bench/dashboard.py

serve: install db courses
	$(BIN)/gunicorn --workers 3 --bind $(HOST):$(PORT) 'app:app'

clean:
	rm -rf $(VENV) .pytest_cache
