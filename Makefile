# The two commands: `make run` (the application with demo data) and `make test` (the whole suite);
# `make test-fast` is `make test` without the browser tests, for everyday work.
# `PORT=8001 make run` serves on another port; `make clean-db` stops and removes this checkout's
# PostgreSQL cluster (README, "The two commands", says where it lives).
.PHONY: run test test-fast clean-db lint format messages backup restore bench-deps

run:
	@scripts/dev.sh run

test:
	@scripts/dev.sh test $(PYTEST_ARGS)

test-fast:
	@scripts/dev.sh test-fast $(PYTEST_ARGS)

clean-db:
	@scripts/dev.sh clean-db

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

# Refresh the translation catalogues after changing user-facing text, then translate the
# new entries of every */locale/pl/LC_MESSAGES/django.po (a test fails on any untranslated one).
messages:
	@scripts/messages.sh

# Backups: one .tar with the database (pg_dump -Fc) and the uploaded files (docs/deploy.md).
backup:
	@scripts/dev.sh backup

restore:
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/einclusion-....tar" >&2; exit 2; }
	@scripts/dev.sh restore "$(FILE)"

# The load test's tool (locust), on demand only: `make test` does not need it (bench/README.md).
bench-deps:
	.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-bench.txt -c requirements.lock
