# The two commands: `make run` (the application with demo data) and `make test` (the whole suite).
.PHONY: run test lint format messages

run:
	@scripts/dev.sh run

test:
	@scripts/dev.sh test $(PYTEST_ARGS)

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

# Refresh the translation catalogues after changing user-facing text, then translate the
# new entries of every */locale/pl/LC_MESSAGES/django.po (a test fails on any untranslated one).
messages:
	@scripts/messages.sh
