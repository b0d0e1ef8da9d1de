"""Links from public pages to the verify page of the certificate a listing stands for."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def certificate_numbers(listings: Iterable[Any]) -> dict[int, str]:
    """Public directory listing id → the number of the latest certificate issued for its designation."""
    from jiangxin.platform.designations.models import Designation
    from jiangxin.platform.documents.issued import IssuedDocument, IssueStatus

    by_designation: dict[int, int] = {}
    by_case: dict[int, int] = {}
    for listing in listings:
        kind, _sep, ident = str(listing.source_key).partition(":")
        if ident.isdecimal() and kind == "designation":
            by_designation[int(ident)] = listing.pk
        elif ident.isdecimal() and kind == "review":
            by_case[int(ident)] = listing.pk
    if by_case:
        for pk, case_id in Designation.objects.filter(case_id__in=by_case).values_list("pk", "case_id"):
            by_designation[pk] = by_case[case_id]
    if not by_designation:
        return {}
    found: dict[int, str] = {}
    for subject, number in (IssuedDocument.objects.filter(source="designation", subject_id__in=by_designation)
                            .exclude(status=IssueStatus.SUPERSEDED).order_by("issued_on", "id")
                            .values_list("subject_id", "number")):
        found[by_designation[subject]] = number
    return found
