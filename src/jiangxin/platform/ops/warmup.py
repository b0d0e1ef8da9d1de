"""Warm a web process before it serves its first request (预热).

The first request a fresh process serves pays for work that is the same for every later request: the programs'
folders and the apps' navigation modules imported, the URL configuration indexed, every page template parsed,
the translation catalogues read. On the
province data set this made a worker's first list page take 0.5 s instead of 20 ms, and gunicorn replaces its
workers every ~2,000 requests (``max_requests``), so users met it after every deploy and every recycling.

``jiangxin-serve`` loads the application once in gunicorn's master (``preload_app``) and calls :func:`warm` there
(``when_ready``): every worker, including each replacement, is forked from the warm master. ``warm`` touches
neither the database nor the cache, and closes both anyway, so no connection is shared by the forked workers.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

#: template files compiled ahead (the project's own; Django's form widgets have their own renderer)
TEMPLATE_SUFFIXES = (".html", ".txt")


def warm() -> dict[str, Any]:
    """Load the programs and the apps' navigation and task modules, index the URL configuration, parse the
    project's templates into the cached loader, read each language's catalogue, then close every connection;
    returns what was done (counts and milliseconds) for the log."""
    started = time.perf_counter()
    programs, hooks = _warm_programs_and_hooks()
    urls = _warm_urls()
    templates, broken = _warm_templates()
    languages = _warm_translations()
    _close_connections()
    done = {"programs": programs, "hooks": hooks, "urls": urls, "templates": templates,
            "broken_templates": broken, "languages": languages, "ms": round((time.perf_counter() - started) * 1000)}
    logger.info("warm-up: %s", done)
    return done


def _warm_programs_and_hooks() -> tuple[int, int]:
    """The programs' folders (their rules, rubrics and screeners) and the apps' navigation and task modules,
    which the first page would otherwise import while it builds the navigation."""
    from jiangxin.platform.core.ui import load_hooks
    from jiangxin.programs import load_all, shipped_packages

    load_all()
    return len(shipped_packages()), load_hooks()


def _warm_urls() -> int:
    """Import every URL module and its views and build the reverse index of each namespace (built on first use
    otherwise); returns the number of names."""
    from django.urls import get_resolver

    def names(resolver: Any) -> int:
        count = len(resolver.reverse_dict)
        for _prefix, included in resolver.namespace_dict.values():
            count += names(included)
        return count

    return names(get_resolver())


def _warm_templates() -> tuple[int, list[str]]:
    """Every template of the project's packages through each engine's loaders (the cached loader keeps them)."""
    from django.template import TemplateSyntaxError, engines

    import jiangxin

    package = Path(jiangxin.__file__).resolve().parent
    compiled, broken = 0, []
    for engine in engines.all():
        for directory in engine.template_dirs:
            root = Path(directory).resolve()
            if not root.is_relative_to(package) or not root.is_dir():
                continue
            for path in sorted(root.rglob("*")):
                if path.suffix not in TEMPLATE_SUFFIXES or not path.is_file():
                    continue
                name = path.relative_to(root).as_posix()
                try:
                    engine.get_template(name)
                except TemplateSyntaxError as exc:  # the page that uses it fails as it would have; the server starts
                    broken.append(name)
                    logger.warning("warm-up: template %s does not compile: %s", name, exc)
                else:
                    compiled += 1
    return compiled, broken


def _warm_translations() -> list[str]:
    from django.conf import settings
    from django.utils import translation

    codes = [code for code, _name in settings.LANGUAGES]
    for code in codes:
        with translation.override(code):
            translation.gettext("匠心")  # reads the language's catalogues
    return codes


def _close_connections() -> None:
    """Close database connections and PostgreSQL connection pools (a pool's sockets and threads must not be
    inherited by forked workers: each worker opens its own), and the caches' connections."""
    from django.core.cache import caches
    from django.db import connections

    connections.close_all()
    for connection in connections.all(initialized_only=True):
        close_pool = getattr(connection, "close_pool", None)
        if close_pool is not None:
            close_pool()
    caches.close_all()
