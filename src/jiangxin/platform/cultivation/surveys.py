"""The two questionnaires of the Jiangsu plan as data (江苏卓越技师办法 附件2, 附件3).

Labels are short paraphrases of the printed forms. 附件2 is answered by each trainee once a year on a
four-step scale; 附件3 by each employer once a year in free text and small counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: the four-step scale of 附件2, best first
RATINGS: tuple[tuple[str, str], ...] = (("excellent", _("优秀")), ("good", _("良好")), ("fair", _("一般")),  # type: ignore[assignment]
                                        ("poor", _("较差")))
RATING_LABELS = dict(RATINGS)
#: answers counted as satisfied in the summaries (优秀 + 良好)
SATISFIED = frozenset({"excellent", "good"})


@dataclass(frozen=True, slots=True)
class Item:
    key: str
    label: StrOrPromise  # lazy: translated when rendered
    group: StrOrPromise
    kind: str = "rating"  # rating | text | count


#: 附件2 培育对象满意度调查 — teachers, teaching, organisation and service, overall, suggestions
SATISFACTION_ITEMS: tuple[Item, ...] = (
    Item("teacher_theory", _("理论课程授课教师"), _("教师")),
    Item("teacher_practice", _("实操实训指导教师"), _("教师")),
    Item("teacher_mentor", _("指导教师（导师）"), _("教师")),
    Item("teacher_overall", _("教师总体评价"), _("教师")),
    Item("teaching_content", _("教学内容"), _("教学")),
    Item("teaching_level", _("教学水平"), _("教学")),
    Item("teaching_mode", _("教学方式"), _("教学")),
    Item("teaching_overall", _("教学总体评价"), _("教学")),
    Item("service_organisation", _("培训组织"), _("组织与服务")),
    Item("service_logistics", _("后勤保障"), _("组织与服务")),
    Item("service_attitude", _("服务态度"), _("组织与服务")),
    Item("service_overall", _("组织服务总体评价"), _("组织与服务")),
    Item("overall", _("总体满意度"), _("总体")),
    Item("suggestions", _("意见和建议"), _("总体"), kind="text"),
)

#: 附件3 用人单位调查和评价 — occupations with counts and demand, problems, difficulties, evaluation, notes
EMPLOYER_OCCUPATIONS = 3
EMPLOYER_ITEMS: tuple[Item, ...] = (
    *(item for n in range(1, EMPLOYER_OCCUPATIONS + 1) for item in (
        Item(f"occupation_{n}", format_lazy("{}{}", _("职业（工种）"), n), _("人数最多的职业"), kind="text"),
        Item(f"occupation_{n}_senior_technician", _("高级技师人数"), _("人数最多的职业"), kind="count"),
        Item(f"occupation_{n}_technician", _("技师人数"), _("人数最多的职业"), kind="count"),
        Item(f"occupation_{n}_senior_worker", _("高级工人数"), _("人数最多的职业"), kind="count"),
        Item(f"occupation_{n}_demand", _("培训需求"), _("人数最多的职业"), kind="text"),
    )),
    Item("technical_problems", _("生产中的主要技术难题"), _("需求与困难"), kind="text"),
    Item("development_difficulties", _("技能人才培养的主要困难"), _("需求与困难"), kind="text"),
    Item("staff_evaluation", _("对参训职工的评价"), _("评价"), kind="text"),
    Item("other_notes", _("其他意见"), _("评价"), kind="text"),
)

RATING_ITEMS: tuple[Item, ...] = tuple(i for i in SATISFACTION_ITEMS if i.kind == "rating")
