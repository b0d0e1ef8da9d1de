"""Facts the academy records feed into the policy core.

* :func:`promotion_counts` — trainees reaching each 新八级 level in a year (附件2 培训成效·学员晋升等级, and
  the basis of the 第二十一条（一） upgrade subsidy);
* :func:`upgrade_subsidy_facts` — the ``nanchang_academy/upgrade_subsidy`` facts for an academy and year;
* :func:`new_course_count` — courses first published in a year (第十条: at least 5 a year; 附件2 培训课程·新课程上传);
* :func:`public_welfare_counts`, :func:`training_counts` — 附件2 培训任务 measures;
* :func:`faculty_honour_counts` — 附件2 师资队伍建设·师资荣誉;
* :func:`annual_rubric_entries` — all of the above shaped as ``nanchang_academy/annual_score`` entries.

A trainee's upgrade is dated by the training's end date (I-ACAD-02); one person reaching the same level
twice in a year counts once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q

from jiangxin.platform.academy.models import Course, Teacher, TeacherStatus, Trainee
from jiangxin.platform.people.levels import POLICY_NAME, SKILL_RANK, SkillLevel

#: policy-core level names (jiangxin.policy.funding.SkillLevel values) for the levels that earn a subsidy
POLICY_LEVEL = {SkillLevel(code): name for code, name in POLICY_NAME.items() if code != SkillLevel.APPRENTICE}
NEW_COURSES_PER_YEAR = 5  # 第十条: 不少于5个 (includes 5)


def _year(qs: Any, year: int, field: str = "end_date") -> Any:
    return qs.filter(**{f"{field}__gte": dt.date(year, 1, 1), f"{field}__lte": dt.date(year, 12, 31)})


def promotion_counts(academy_id: int, year: int) -> dict[str, int]:
    """Level name (初级工 … 首席技师) → distinct trainees who reached it in ``year``; levels with none omitted."""
    rows = (_year(Trainee.objects.filter(academy_id=academy_id, upgraded=True), year)
            .values("level_after").annotate(n=Count("id_hash", distinct=True)))
    out = {POLICY_LEVEL[SkillLevel(r["level_after"])]: int(r["n"]) for r in rows
           if r["level_after"] in POLICY_LEVEL and r["n"]}
    rank = {name: SKILL_RANK[code] for code, name in POLICY_NAME.items()}
    return dict(sorted(out.items(), key=lambda kv: rank[kv[0]]))


def upgrade_subsidy_facts(academy_id: int, year: int, as_of: dt.date | None = None) -> dict[str, Any]:
    """Facts for ``nanchang_academy/upgrade_subsidy`` (第二十一条（一）)."""
    return {"as_of": (as_of or dt.date(year, 12, 31)).isoformat(), "upgrades": promotion_counts(academy_id, year)}


def new_course_count(academy_id: int, year: int) -> int:
    return int(_year(Course.objects.filter(academy_id=academy_id), year, "first_published_on").count())


def public_welfare_counts(academy_id: int, year: int) -> dict[str, int]:
    """Free public-welfare training (第十六条): sessions with flagged trainees and flagged person-times."""
    flagged = _year(Trainee.objects.filter(academy_id=academy_id), year).filter(
        Q(migrant_worker=True) | Q(unemployed_graduate=True) | Q(hardship_worker=True))
    agg = flagged.aggregate(person_times=Count("id"), sessions=Count("session_code", distinct=True))
    return {"sessions": int(agg["sessions"] or 0), "person_times": int(agg["person_times"] or 0)}


def training_counts(academy_id: int, year: int) -> dict[str, int]:
    agg = _year(Trainee.objects.filter(academy_id=academy_id), year).aggregate(
        trainees=Count("id"), sessions=Count("session_code", distinct=True))
    return {"sessions": int(agg["sessions"] or 0), "trainees": int(agg["trainees"] or 0)}


FACULTY_KEYS = (("全国技术能手", ("全国技术能手",)),
                ("赣鄱工匠或能工巧匠", ("赣鄱工匠", "能工巧匠")),
                ("洪城工匠或洪城技师", ("洪城工匠", "洪城技师")))


def faculty_honour_counts(academy_id: int) -> dict[str, int]:
    """Approved teachers of the academy by their highest honour named in 附件2 (each teacher once, I-ACAD-03)."""
    counts: dict[str, int] = {}
    for honours in Teacher.objects.filter(organisation_id=academy_id, status=TeacherStatus.APPROVED
                                          ).values_list("honours", flat=True):
        held = set(h for h in honours.split("|") if h)
        for key, names in FACULTY_KEYS:
            if held.intersection(names):
                counts[key] = counts.get(key, 0) + 1
                break
    return counts


def annual_rubric_entries(academy_id: int, year: int) -> dict[str, Any]:
    """The parts of the 附件2 annual rubric these records can supply (the office adds the rest)."""
    training = training_counts(academy_id, year)
    return {
        "faculty_honours": faculty_honour_counts(academy_id),
        "training_tasks": {"skill_upgrading": training, "public_welfare": public_welfare_counts(academy_id, year)},
        "courses": {"new_courses": {"courses": new_course_count(academy_id, year)}},
        "training_results": {"promotions": promotion_counts(academy_id, year)},
    }
