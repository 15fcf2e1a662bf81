# Parcours — the commands a newcomer needs. `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
MANAGE := $(BIN)/python manage.py

# `make test DATABASE_URL=postgres://…` runs the suite on PostgreSQL.
export DATABASE_URL

.PHONY: install run test lint format bench demo clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
		|| { echo "Parcours demande Python 3.11 ou plus récent ($(PYTHON) est trop ancien)."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

# The task worker (db_worker) sends the e-mails beside the web server and stops with it
# (Ctrl+C or an error); --no-reload, as its reloader would leave a child behind the kill.
run: install
	DEBUG=1 $(MANAGE) migrate --noinput -v 0
	DEBUG=1 $(MANAGE) load_demo
	@echo ""
	@echo "Parcours : http://127.0.0.1:8000  (connectez-vous avec un compte ci-dessus ; Ctrl+C pour arrêter)"
	@echo "Code à 6 chiffres demandé après le mot de passe : $(MANAGE) demo_code <e-mail du compte>"
	@echo "E-mails (invitations) : envoyés par le worker de tâches, affichés ici (EMAIL_BACKEND console)"
	DEBUG=1 $(MANAGE) db_worker --no-reload -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(MANAGE) runserver 127.0.0.1:8000

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) staticfiles
