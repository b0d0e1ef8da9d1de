"""The public directory's table keeps room on each page on PostgreSQL (fillfactor), so that a status change
rewrites an entry without touching its indexes (migration portal 0003); elsewhere nothing changes."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL storage parameter")
def test_the_directory_table_is_written_with_room_for_new_row_versions() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'portal_publiclisting'")
        (options,) = cursor.fetchone()
    assert "fillfactor=70" in (options or [])


def test_a_status_update_of_a_directory_entry_is_read_back() -> None:
    from jiangxin.platform.portal.models import PublicListing
    from jiangxin.platform.portal.services import publish_listing

    publish_listing(kind="academy", source_key="designation:room-1", name="示例学院", status="有效")
    publish_listing(kind="academy", source_key="designation:room-1", name="示例学院", status="周期届满")
    assert PublicListing.objects.get(source_key="designation:room-1").status == "周期届满"
