"""Search on the big lists is answered by an index on either database (issue 14, 索引检索).

PostgreSQL: substring search (``icontains``) from three characters, answered by the pg_trgm indexes; shorter
text (a trigram index cannot narrow it) and any text on SQLite, the embedded default: prefix search on the
column's B-tree index, tried as typed and in capitals. The pages say how next to the box.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import fixtures_apps
import pytest
from django.db import connection
from fixtures_apps import World

from jiangxin.platform.academy.models import Trainee
from jiangxin.platform.core.textsearch import finds_anywhere, matching, search_hint
from jiangxin.platform.people.models import Person

pytestmark = pytest.mark.django_db
media = fixtures_apps.media
world = fixtures_apps.world


def _trainees(w: World) -> None:
    academy = w.orgs["donghu"]
    rows = [("张三", "QB-2026-001", "数控车工"), ("李四", "QB-2025-002", "焊工"), ("王五", "XQB-2026-003", "电焊工")]
    Trainee.objects.bulk_create(
        Trainee(academy=academy, name=name, id_hash=f"search-{i}", id_mask="3601**********0011",
                birth_date=dt.date(1990, 1, 1), sex="male", major=major, session_code=code,
                start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 6, 30))
        for i, (name, code, major) in enumerate(rows))


def _codes(found: Any) -> set[str]:
    return set(Trainee.objects.filter(found).values_list("session_code", flat=True))


def test_long_text_is_found_anywhere_on_postgresql_and_at_the_start_on_sqlite(world: World) -> None:
    _trainees(world)
    if finds_anywhere("qb-2026"):
        assert connection.vendor == "postgresql"
        assert _codes(matching("session_code", "qb-2026")) == {"QB-2026-001", "XQB-2026-003"}
    else:
        assert _codes(matching("session_code", "qb-2026")) == {"QB-2026-001"}  # typed in lower case
    assert _codes(matching("session_code", "ZZZ")) == set()


def test_short_text_is_searched_as_a_prefix_on_every_database(world: World) -> None:
    _trainees(world)
    assert not finds_anywhere("焊工")
    assert _codes(matching("major", "焊工")) == {"QB-2025-002"}  # not 电焊工
    assert _codes(matching("major", "电")) == {"XQB-2026-003"}
    assert _codes(matching("session_code", "qb")) == {"QB-2026-001", "QB-2025-002"}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded database's query plan")
@pytest.mark.parametrize(("model", "field"), [(Trainee, "session_code"), (Trainee, "major"), (Person, "name")])
def test_sqlite_prefix_search_uses_the_columns_index_not_a_scan(model: Any, field: str) -> None:
    sql, params = model.objects.filter(matching(field, "QB")).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        steps = [str(row[-1]) for row in cursor.fetchall()]
    assert any(f"SEARCH {model._meta.db_table} USING" in step and "INDEX" in step for step in steps), steps
    assert f"SCAN {model._meta.db_table}" not in steps, steps  # a whole-table scan is a bare SCAN step


def test_the_trainee_page_finds_by_session_code_and_says_how_it_searches(world: World) -> None:
    _trainees(world)
    page = world.client("office_nc").get("/academy/trainees/?q=QB-2026").content.decode()
    assert "QB-2026-001" in page and "QB-2025-002" not in page
    assert str(search_hint()) in page


def test_the_people_search_says_how_it_matches(world: World) -> None:
    page = world.client("office_nc").get("/people/?q=张").content.decode()
    assert str(search_hint()) in page
    assert ("按包含查找" in page) is (connection.vendor == "postgresql")
