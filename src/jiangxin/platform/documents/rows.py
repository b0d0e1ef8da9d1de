"""Rows for a round's documents, from what the platform has recorded (never recomputing policy).

- ranking: each application in the round with a complete panel result (``panels.services.panel_result``),
  ranked by the policy core's generic ``selection.rank`` (score desc; ties share a rank);
- named: applications whose publicity clearance is granted (``publicity.services.clearance``).
The workflow may pass its own rows to ``documents.services`` instead.
"""

from __future__ import annotations

from typing import Any

from jiangxin.platform.applications.models import Application


def _name_unit(app: Application) -> tuple[str, str]:
    person = app.applicant_person
    unit = app.applicant_org.name if app.applicant_org else ""
    if app.kind == "individual" and person is not None:
        if person.employer is not None:
            unit = person.employer.name
        return person.name, unit
    return app.title, unit


def round_applications(rnd: Any) -> list[Application]:
    return list(rnd.applications.exclude(status__in=("draft", "withdrawn"))
                .select_related("applicant_org", "applicant_person", "applicant_person__employer").order_by("id"))


def ranking_rows(rnd: Any) -> list[dict[str, Any]]:
    from jiangxin.policy.selection import Candidate, rank

    try:
        from jiangxin.platform.panels.services import panel_result
    except ImportError:  # panels not installed
        return []
    apps = {str(a.pk): a for a in round_applications(rnd)}
    candidates = []
    for key, app in apps.items():
        result = panel_result(app)
        if result is not None and result.complete:
            candidates.append(Candidate(key=key, score=result.total))
    rows = []
    for r in rank(candidates):
        name, unit = _name_unit(apps[r.key])
        rows.append({"rank": r.rank, "name": name, "unit": unit, "score": r.score,
                     "note": "并列" if r.tied else ""})
    return rows


def named_rows(rnd: Any) -> list[dict[str, Any]]:
    from jiangxin.platform.publicity.services import clearance

    rows = []
    for app in round_applications(rnd):
        if clearance(app).clear:
            name, unit = _name_unit(app)
            person = app.applicant_person
            rows.append({"name": name, "unit": unit, "title": rnd.program.title,
                         "id_number": person.id_mask if app.kind == "individual" and person else ""})
    return rows
