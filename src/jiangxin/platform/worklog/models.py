"""Work ledger (工作台账) and fund ledger (经费台账) kept by the holder of a designation through the year.

Every record belongs to one designation; the year is the year of its date. Evidence files are checked with
the application upload checker. :mod:`jiangxin.platform.worklog.services` turns records into prefilled
annual rubric entries with the ids of the records behind each item."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkKind(models.TextChoices):
    TRAINING = "training", _("技能培训")
    PUBLIC_WELFARE = "public_welfare", _("免费公益培训")
    COMMISSIONED = "commissioned", _("承办企业培训")
    CONTEST_HOSTED = "contest_hosted", _("承办竞赛")
    CONTEST_ENTERED = "contest_entered", _("参加竞赛")
    CONTEST_JUDGED = "contest_judged", _("担任竞赛评委")
    PRE_CONTEST = "pre_contest", _("赛前培训")
    PLACING = "placing", _("竞赛获奖名次")
    PROJECT = "project", _("技术攻关项目")
    PROBLEM_SOLVED = "problem_solved", _("破解企业难题")
    PATENT = "patent", _("专利")
    AWARD = "award", _("奖项")
    PUBLICATION = "publication", _("论文著作")
    MEDIA = "media", _("媒体报道")
    EXCHANGE = "exchange", _("交流活动")
    NEW_COURSE = "new_course", _("新开发课程")
    CERTIFIED = "certified", _("带徒取证")
    BENEFIT = "benefit", _("经济社会效益")


class Level(models.TextChoices):
    CITY = "city", _("市级（地厅级）")
    PROVINCE = "province", _("省级（省部级）")
    NATIONAL = "national", _("国家级（部级）")


class ContestClass(models.TextChoices):
    HONG_GONG_CUP = "hong_gong_cup", _("洪工杯")
    INDUSTRY = "industry", _("行业性竞赛")
    OTHER = "other", _("其他竞赛")


class PatentType(models.TextChoices):
    INVENTION = "invention", _("发明专利")
    UTILITY = "utility", _("实用新型专利")
    DESIGN = "design", _("外观设计专利")


class AwardClass(models.TextChoices):
    SCIENCE = "science", _("科技奖项")
    FIVE_SMALL = "five_small", _("五小成果表彰")
    CITY_INNOVATION_1 = "city_innovation_1", _("市创新成果一等奖")
    CITY_INNOVATION_2 = "city_innovation_2", _("市创新成果二等奖")
    CITY_INNOVATION_3 = "city_innovation_3", _("市创新成果三等奖")
    CITY_METHOD = "city_method", _("市先进操作法")
    CITY_IDEA = "city_idea", _("市金点子")
    OTHER = "other", _("其他奖项")


#: which optional fields each kind requires (the form and the service check them)
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    WorkKind.TRAINING: ("sessions", "participants"),
    WorkKind.PUBLIC_WELFARE: ("sessions", "participants"),
    WorkKind.COMMISSIONED: ("sessions",),
    WorkKind.CONTEST_HOSTED: ("level", "contest_class"),
    WorkKind.CONTEST_ENTERED: ("level",),
    WorkKind.CONTEST_JUDGED: ("level", "person_name"),
    WorkKind.PLACING: ("level", "person_name", "placing"),
    WorkKind.PATENT: ("patent_type",),
    WorkKind.AWARD: ("level", "award_class"),
    WorkKind.PUBLICATION: ("level",),
    WorkKind.MEDIA: ("level",),
    WorkKind.EXCHANGE: ("level",),
    WorkKind.CERTIFIED: ("participants",),
}


class WorkRecord(models.Model):
    designation = models.ForeignKey("designations.Designation", verbose_name=_("命名"), on_delete=models.PROTECT,
                                    related_name="work_records")
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    kind = models.CharField(_("类别"), max_length=30, choices=WorkKind.choices, db_index=True)
    date = models.DateField(_("日期"))
    title = models.CharField(_("事项"), max_length=200)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices, blank=True)
    contest_class = models.CharField(_("竞赛类别"), max_length=20, choices=ContestClass.choices, blank=True)
    patent_type = models.CharField(_("专利类型"), max_length=20, choices=PatentType.choices, blank=True)
    award_class = models.CharField(_("奖项类别"), max_length=30, choices=AwardClass.choices, blank=True)
    sessions = models.PositiveIntegerField(_("期数/场次"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("人数/人次"), null=True, blank=True)
    person_name = models.CharField(_("人员姓名"), max_length=50, blank=True)
    placing = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True,
                                               validators=[MinValueValidator(1)])
    notes = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ("-date", "-id")
        verbose_name = _("工作台账")
        verbose_name_plural = _("工作台账")
        indexes = (models.Index(fields=["designation", "year", "kind"]),)

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}：{self.title}"


class FundDirection(models.TextChoices):
    INCOME = "income", _("收入")
    SPENDING = "spending", _("支出")


class FundCategory(models.TextChoices):
    SUBSIDY = "subsidy", _("补助资金")
    SELF_FUNDED = "self_funded", _("自筹资金")
    TRAINING = "training", _("培训费用")
    EQUIPMENT = "equipment", _("设备购置")
    MATERIALS = "materials", _("耗材资料")
    CONTEST = "contest", _("竞赛活动")
    INNOVATION = "innovation", _("技术攻关")
    TEACHING = "teaching", _("授课酬金")
    OTHER = "other", _("其他")


class FundRecord(models.Model):
    designation = models.ForeignKey("designations.Designation", verbose_name=_("命名"), on_delete=models.PROTECT,
                                    related_name="fund_records")
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    date = models.DateField(_("日期"))
    direction = models.CharField(_("收支"), max_length=10, choices=FundDirection.choices)
    category = models.CharField(_("科目"), max_length=20, choices=FundCategory.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01"))])
    notes = models.CharField(_("摘要"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ("-date", "-id")
        verbose_name = _("经费台账")
        verbose_name_plural = _("经费台账")

    def __str__(self) -> str:
        return f"{self.date} {self.get_direction_display()} {self.amount}"


def evidence_path(instance: WorkEvidence, filename: str) -> str:
    return f"worklog/{instance.designation_id}/{uuid.uuid4().hex}.{instance.file_type}"


class WorkEvidence(models.Model):
    """A checked evidence file for a work record or a fund record."""

    designation = models.ForeignKey("designations.Designation", on_delete=models.PROTECT, related_name="+")
    record = models.ForeignKey(WorkRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    fund = models.ForeignKey(FundRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    file_type = models.CharField(_("文件类型"), max_length=10)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ("uploaded_at", "id")
        verbose_name = _("台账证明材料")
        verbose_name_plural = _("台账证明材料")

    def __str__(self) -> str:
        return self.original_name
