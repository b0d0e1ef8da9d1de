"""南昌工匠学院 money (第六章 经费保障, 第二十四条, 第二十六条): parameters and citations over the generic
machines in ``jiangxin.policy.funding``.

* ``tranche_schedule`` — 2,000,000 yuan in 3:3:4 over at most 5 years (第二十条 and its paths （一）（二）（三）),
  yellow card / revocation (第二十四条), claw-back and reapplication bar (第二十六条).
* ``upgrade_subsidy`` …（一）, ``equipment_subsidy`` …（二）, ``teaching_subsidy`` …（三）,
  ``course_subsidy`` …（四）, ``contest_subsidy`` …（五）, ``innovation_awards`` …（六） of 第二十一条.
"""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from jiangxin.policy import funding as f
from jiangxin.policy.errors import FactsError
from jiangxin.policy.facts import Facts
from jiangxin.policy.outcome import Outcome, Trace, cite
from jiangxin.policy.parameters import ParameterSet
from jiangxin.policy.registry import computation
from jiangxin.programs.nanchang_academy import PROGRAM

DOC = "nanchang_academy"
ART_20 = cite(DOC, "第二十条")
ART_20_1 = cite(DOC, "第二十条", "（一）")
ART_20_2 = cite(DOC, "第二十条", "（二）")
ART_20_3 = cite(DOC, "第二十条", "（三）")
ART_21_1 = cite(DOC, "第二十一条", "（一）")
ART_21_2 = cite(DOC, "第二十一条", "（二）")
ART_21_3 = cite(DOC, "第二十一条", "（三）")
ART_21_4 = cite(DOC, "第二十一条", "（四）")
ART_21_5 = cite(DOC, "第二十一条", "（五）")
ART_21_6 = cite(DOC, "第二十一条", "（六）")
ART_24 = cite(DOC, "第二十四条")
ART_26 = cite(DOC, "第二十六条")

#: 第二十条's three worked paths: every tranche on time （一）, the second a year late （二）, the third （三）.
TRANCHE_CITATIONS = f.TrancheCitations(
    first_tranche=ART_20_1, tranche=ART_20, catch_up=ART_20, yellow_card=ART_24, revoke_consecutive=ART_24,
    revoke_after_cycle=ART_24, cycle_span=ART_20, fraud=ART_26, reapplication_bar=ART_26,
    paths=f.three_tranche_paths(ART_20_1, ART_20_2, ART_20_3))

f.register_standard_funding(
    PROGRAM, tranches=TRANCHE_CITATIONS, tranche_title="命名补助资金分笔拨付",
    upgrade=("技能人才培养升级补助", ART_21_1), equipment=("设备设施补助", ART_21_2),
    awards=("技术攻关奖励名额与金额", ART_21_6))


# --- 第二十一条（三） teaching ---------------------------------------------------------------------------


class Honour(enum.StrEnum):
    NATIONAL_TECHNICAL_EXPERT = "全国技术能手"
    GREAT_CRAFTSMAN = "大国工匠"
    SKILLED_ARTISAN = "能工巧匠"
    GANPO_CRAFTSMAN = "赣鄱工匠"
    HONGCHENG_CRAFTSMAN = "洪城工匠"
    HONGCHENG_TECHNICIAN = "洪城技师"


class Title(enum.StrEnum):
    PROFESSOR = "教授"
    FULL_SENIOR = "正高级"
    ASSOCIATE_PROFESSOR = "副教授"
    DEPUTY_SENIOR = "副高级"
    LECTURER = "讲师"
    ENGINEER = "工程师"


class Lesson(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    teacher: str = Field(min_length=1, description="授课教师 (teacher's name or id)")
    honours: list[Honour] = Field(default_factory=list, description="荣誉称号 (honours the teacher holds)")
    title: Title | None = Field(default=None, description="专业技术职称 (professional title), if any")
    hours: int = Field(ge=1, description="课时 (lesson-hours taught)")


class TeachingFacts(Facts):
    lessons: list[Lesson] = Field(min_length=1, description="授课记录 (lessons taught, one entry per teacher "
                                                            "and batch of lesson-hours)")


@computation(PROGRAM, "teaching_subsidy", "教师授课补助", ART_21_3, TeachingFacts)
def teaching_subsidy(facts: TeachingFacts, params: ParameterSet) -> Outcome[f.Subsidy]:
    """Rate per lesson-hour by the teacher's highest tier from honours or title (I-FUND-04)."""
    by_honour = params.get("funding_teaching_rate_by_honour", facts.as_of)
    by_title = params.get("funding_teaching_rate_by_title", facts.as_of)
    trace = Trace()
    lines = []
    for lesson in facts.lessons:
        options = [(Decimal(by_honour.value[h.value]), h.value) for h in lesson.honours
                   if h.value in by_honour.value]
        if lesson.title is not None and lesson.title.value in by_title.value:
            options.append((Decimal(by_title.value[lesson.title.value]), lesson.title.value))
        rate, basis = max(options) if options else (f.ZERO, "无符合条件的荣誉或职称")
        amount = trace.add("teaching_rate", ART_21_3, f.money(rate * lesson.hours),
                           inputs={"teacher": lesson.teacher, "honours": [h.value for h in lesson.honours],
                                   "title": lesson.title, "hours": lesson.hours},
                           parameters={"rate": rate, "basis": basis},
                           note="highest tier applies (I-FUND-04)" if len(options) > 1 else "")
        lines.append(f.Line(lesson.teacher, Decimal(lesson.hours), rate, amount, basis))
    return f.subsidy_outcome(f.apply_cap(lines, None), trace, ART_21_3, "teaching_subsidy")


# --- 第二十一条（四） courses ----------------------------------------------------------------------------


class CourseFacts(Facts):
    offline_courses: int = Field(ge=0, description="开发线下课程数 (offline courses developed)")
    video_lesson_hours: int = Field(ge=0, description="开发教学视频课时数 (teaching-video lesson-hours developed)")
    already_granted: Decimal = Field(
        ge=0, description="本上限期间已获教学课程补助 (course subsidy already granted in the cap's period: "
                          "since naming under the default reading I-FUND-03, or this year if the office "
                          "sets funding_course_cap_period to year), yuan")

    @model_validator(mode="after")
    def _something(self) -> CourseFacts:
        if self.offline_courses == 0 and self.video_lesson_hours == 0:
            raise FactsError([("offline_courses", "at least one course or video lesson-hour")])
        return self


@computation(PROGRAM, "course_subsidy", "教学课程补助", ART_21_4, CourseFacts)
def course_subsidy(facts: CourseFacts, params: ParameterSet) -> Outcome[f.Subsidy]:
    day = facts.as_of
    rates = {"线下课程": params.value("funding_course_rate_offline", day),
             "教学视频课时": params.value("funding_course_rate_video", day)}
    cap = params.get("funding_course_cap", day)
    period = params.get("funding_course_cap_period", day)
    trace = Trace()
    lines = f.per_unit(rates, (("线下课程", facts.offline_courses), ("教学视频课时", facts.video_lesson_hours)),
                       field="courses", trace=trace, citation=ART_21_4, rule="course_rate")
    subsidy = f.apply_cap(lines, Decimal(cap.value), already_granted=facts.already_granted, trace=trace,
                          citation=ART_21_4, rule=f"course_cap_{period.value}")
    return f.subsidy_outcome(subsidy, trace, ART_21_4, "course_subsidy")


# --- 第二十一条（五） contests ---------------------------------------------------------------------------


class ContestKind(enum.StrEnum):
    CITY_HONGGONG = "市级洪工杯"
    PROVINCE_TIANGONG_1 = "省级天工杯一类"
    PROVINCE_TIANGONG_2 = "省级天工杯二类"
    PROVINCE_TIANGONG_3 = "省级天工杯三类"


class ContestFacts(Facts):
    hosted: dict[ContestKind, int] = Field(
        description="承办竞赛项目数 (contest items hosted): kind → number of items ≥ 0")

    @model_validator(mode="after")
    def _counts(self) -> ContestFacts:
        f.check_counts("hosted", self.hosted)
        return self


@computation(PROGRAM, "contest_subsidy", "承办竞赛补助", ART_21_5, ContestFacts)
def contest_subsidy(facts: ContestFacts, params: ParameterSet) -> Outcome[f.Subsidy]:
    table: dict[str, Any] = params.value("funding_contest_rates", facts.as_of)
    trace = Trace()
    lines = f.per_unit(table, ((k.value, v) for k, v in facts.hosted.items()), field="hosted", trace=trace,
                       citation=ART_21_5, rule="contest_rate")
    return f.subsidy_outcome(f.apply_cap(lines, None), trace, ART_21_5, "contest_subsidy")
