# zonegov — the two commands a newcomer runs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The demo prints QR codes and verification links for the port it serves on (settings.py,
# public_base_url); ZONEGOV_PUBLIC_BASE_URL, when set, wins.
export ZONEGOV_PORT = $(PORT)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test setup system-deps lint format bench check-deploy clean lock upgrade

# Installed from the lock files (exact versions, every file's SHA-256 checked); the
# dependencies themselves are declared in pyproject.toml. After editing that list:
# `make lock`; to take new releases within its ranges: `make upgrade` (docs/deployment.md).
$(VENV)/.installed: requirements.lock requirements-dev.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

setup: $(VENV)/.installed

# Debian packages the tests use: Chromium (browser tests, never a downloaded browser),
# a Chinese font for it (fonts-droid-fallback: pages are laid out as users see them, not
# with missing-glyph boxes) and poppler-utils (pdfsig/pdffonts check our PDFs
# independently). Installed when missing and possible; otherwise only the tests that need
# them are skipped.
CJK_FONT := /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf
system-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/pdfsig ] || [ ! -f $(CJK_FONT) ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages chromium, fonts-droid-fallback and poppler-utils…"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-droid-fallback poppler-utils >/dev/null) \
	      || echo "WARNING: could not install chromium/fonts-droid-fallback/poppler-utils: browser and pdfsig tests will be skipped."; \
	  else \
	    echo "WARNING: chromium, fonts-droid-fallback or poppler-utils missing and cannot be installed here (needs root + apt-get): browser and pdfsig tests will be skipped."; \
	  fi; \
	fi

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py sync_schedules
	$(PY) manage.py ensure_pki
	$(PY) manage.py seed_demo
	$(PY) manage.py audit_checkpoint
	@$(PY) manage.py demo_logins --port $(PORT)
	@echo "Task runner: qcluster (workers + scheduler) runs in the background, log in var/tasks.log; periodic jobs with their last run and result: http://127.0.0.1:$(PORT)/admin/django_q/schedule/"
	@mkdir -p var; ZONEGOV_TASK_LOG_LEVEL=INFO $(PY) manage.py qcluster > var/tasks.log 2>&1 & TASKS=$$!; \
	  trap 'kill $$TASKS 2>/dev/null; wait $$TASKS 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup system-deps
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# bench/verify.py needs a PostgreSQL server (VERIFY_ARGS="--database-url postgres://…").
bench: setup
	$(PY) bench/documents.py --write
	$(PY) bench/verify.py --write $(VERIFY_ARGS)

check-deploy: setup
	ZONEGOV_PRODUCTION=1 SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=zonegov.example.cn \
	  ZONEGOV_AUDIT_KEY=$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	  $(PY) manage.py check --deploy --fail-level WARNING

UV_COMPILE = $(VENV)/bin/uv pip compile pyproject.toml --quiet --generate-hashes \
  --python-version 3.11 --custom-compile-command "make lock"
lock: setup
	$(UV_COMPILE) -o requirements.lock $(UV_ARGS)
	$(UV_COMPILE) --extra dev -o requirements-dev.lock $(UV_ARGS)

upgrade:
	$(MAKE) lock UV_ARGS=--upgrade

clean:
	rm -rf $(VENV) var staticfiles
