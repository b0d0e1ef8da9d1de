"""gunicorn settings for the production profile (``jiangxin-serve`` and docs/deploy.md).

Every value can be changed by an environment variable, so the same file serves one small office and each of a
province's app servers behind a load balancer."""

from __future__ import annotations

import os
from typing import Any

wsgi_app = "jiangxin.platform.wsgi:application"
bind = os.environ.get("JIANGXIN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("JIANGXIN_WEB_WORKERS", "4"))
worker_class = "sync"
timeout = int(os.environ.get("JIANGXIN_WEB_TIMEOUT", "120"))  # XLSX exports of a whole year take time
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then (memory)
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("JIANGXIN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# the request id the app returns is in every access line, as in the app's own log lines
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'
proc_name = "jiangxin"
# the application is loaded and warmed once in the master (``when_ready``): every worker, also each one that
# replaces a recycled worker, starts warm (ops/warmup.py). A new release needs a restart, not a HUP.
preload_app = os.environ.get("JIANGXIN_PRELOAD", "1") != "0"


def when_ready(server: Any) -> None:
    """Warm the preloaded application before the first worker is forked (ops/warmup.py)."""
    if preload_app:
        from jiangxin.platform.ops.warmup import warm

        done = warm()
        server.log.info("warm-up: %s templates, %s URL names, languages %s in %s ms", done["templates"],
                        done["urls"], ",".join(done["languages"]), done["ms"])


def child_exit(server: Any, worker: Any) -> None:
    """Prometheus in multi-process mode (PROMETHEUS_MULTIPROC_DIR): forget a stopped worker's live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
