"""The public portal's lists show at most a page of rows; a reader can go on to the next page and sees how many
there are (the directory of a province holds thousands of entries, not fifty)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from jiangxin.platform.portal.models import ListingKind, PublicListing

pytestmark = pytest.mark.django_db


def test_the_public_directory_links_to_its_next_page_and_says_how_many_entries_it_holds() -> None:
    PublicListing.objects.bulk_create([
        PublicListing(kind=ListingKind.STUDIO, source_key=f"test:studio:{i}", name=f"创新工作室{i:03d}",
                      status="有效", since=dt.date(2026, 1, 1)) for i in range(60)])
    first = Client().get("/public/directory/").content.decode()
    assert "共 60 条" in first and "page=2" in first
    second = Client().get("/public/directory/", {"page": 2}).content.decode()
    assert "创新工作室059" in second and "第 2 / 2 页" in second
