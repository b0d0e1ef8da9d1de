# 匠心 Jiangxin — two commands: `make demo` and `make test`. Each installs what it needs itself.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000
export DJANGO_SETTINGS_MODULE := jiangxin.platform.settings

.PHONY: demo test install lint typecheck pytest browser fonts bench clean serve messages

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
demo: install fonts
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

## Production profile on one machine (SQLite, gunicorn, a task worker; keys generated once into var/production.env):
## for a small office. Several machines: docs/deploy.md
serve: install
	$(BIN)/jiangxin-serve --bind $(HOST):$(PORT)

## English translations: the gettext catalogue locale/en/LC_MESSAGES/django.po is their only source. Re-extract the
## marked strings (no source locations, so that a moved line does not churn the file), then translate the new
## entries in the .po and run this again to compile it
messages: export DEBUG := 1
messages: install
	cd src/jiangxin/platform && ../../../$(BIN)/jiangxin-admin makemessages -l en --no-obsolete --no-location \
	  && sed -i '/^"POT-Creation-Date:/d' locale/en/LC_MESSAGES/django.po \
	  && ../../../$(BIN)/jiangxin-admin compilemessages

## Run the whole test suite: lint, type-check of the policy core, then every test
test: install browser fonts lint typecheck pytest

lint:
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports

typecheck:
	$(BIN)/mypy
	DEBUG=1 $(BIN)/mypy --config-file mypy-platform.ini

pytest:
	$(BIN)/pytest -n 2 -p no:cacheprovider

# Real-browser tests drive Debian's Chromium (never a downloaded browser), with a CJK font from Debian so that
# Chinese pages render as text, not boxes (fonts-noto-cjk; fonts-wqy-zenhei when Noto is unavailable).
CJK_FONT_CHECK := fc-list :lang=zh 2>/dev/null | grep -q .
browser:
	@if command -v chromium >/dev/null 2>&1 && $(CJK_FONT_CHECK); then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's chromium and a CJK font for the browser tests"; \
	  (apt-get install -y -qq chromium fonts-noto-cjk >/dev/null 2>&1 || \
	   (apt-get update -qq >/dev/null && (apt-get install -y -qq chromium fonts-noto-cjk >/dev/null 2>&1 || \
	    apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null))); \
	else \
	  command -v chromium >/dev/null 2>&1 || echo "chromium not found and cannot be installed here: browser tests will be skipped"; \
	  $(CJK_FONT_CHECK) || echo "no CJK font found (install fonts-noto-cjk): Chinese text will show as boxes in Chromium"; \
	fi

# Issued PDFs embed an open CJK TrueType font from Debian (docs/decisions/0025-pdf-rendering.md).
fonts:
	@test -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's fonts-wqy-zenhei for the signed PDFs"; \
	    (apt-get install -y -qq fonts-wqy-zenhei >/dev/null 2>&1 || \
	     (apt-get update -qq >/dev/null && apt-get install -y -qq fonts-wqy-zenhei >/dev/null)); \
	  else echo "fonts-wqy-zenhei not found and cannot be installed here: PDF tests will be skipped"; fi; }

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
