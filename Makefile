# 匠心 Jiangxin — two commands: `make demo` and `make test`. Each installs what it needs itself.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000
export DJANGO_SETTINGS_MODULE := jiangxin.platform.settings

.PHONY: demo test install lint typecheck pytest browser bench clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is required") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

## Serve the whole platform with demo data on SQLite at http://$(HOST):$(PORT), with a background task worker
## (yearly runs, trainee imports) that stops with the server
## DEBUG is off unless set: the demo (plain http on this machine) turns it on explicitly; the reset-code mails
## are printed on this terminal (console mail backend)
demo: export DEBUG := 1
demo: export EMAIL_BACKEND ?= django.core.mail.backends.console.EmailBackend
demo: install
	$(BIN)/jiangxin-admin migrate --noinput
	$(BIN)/jiangxin-admin load_programs
	$(BIN)/jiangxin-admin load_demo
	$(BIN)/jiangxin-admin demo_logins
	JIANGXIN_TASK_BACKEND=django_tasks_db.DatabaseBackend $(BIN)/jiangxin-admin serve_demo $(HOST):$(PORT)

## Run the whole test suite: lint, type-check of the policy core, then every test
test: install browser lint typecheck pytest

lint:
	$(BIN)/ruff check src tests bench

typecheck:
	$(BIN)/mypy

pytest:
	$(BIN)/pytest -n 2 -p no:cacheprovider

# Real-browser tests drive Debian's Chromium (never a downloaded browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    (apt-get install -y -qq chromium >/dev/null 2>&1 || \
	     (apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null)); \
	  else echo "chromium not found and cannot be installed here: browser tests will be skipped"; fi; }

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
