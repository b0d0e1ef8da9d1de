"""镇江技能大师产业创新园 residency operations: admission (入驻协议, rooms), fees, monthly presence, data
reports, evaluation fallback, rectification, exit, benefits, the public service catalogue and service requests.

Every decision field holds the Outcome JSON of the zhenjiang_park computation it came from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.core.transitions import GuardedQuerySet

MONTH_HELP = _("YYYY-MM，如 2025-02")


class Room(models.Model):
    building = models.CharField(_("楼栋"), max_length=40)
    number = models.CharField(_("房号"), max_length=20)
    area = models.DecimalField(_("面积（平方米）"), max_digits=8, decimal_places=2)

    class Meta:
        ordering = ("building", "number")
        constraints = (models.UniqueConstraint(fields=["building", "number"], name="park_room_unique"),)

    def __str__(self) -> str:
        return f"{self.building} {self.number}（{self.area}㎡）"


class ResidencyStatus(models.TextChoices):
    ACTIVE = "active", _("入驻中")
    RECTIFYING = "rectifying", _("限期整改中")
    EXITED = "exited", _("已取消入驻")


class Residency(models.Model):
    """An admitted studio: the 入驻协议 record and its rooms (四（一） rent-free term stored as outcome)."""

    objects = GuardedQuerySet.as_manager()  # a bulk update() of the state outside a transition is reported
    studio_org = models.ForeignKey("orgs.Organisation", verbose_name=_("工作室"), on_delete=models.PROTECT,
                                   related_name="park_residencies")
    name = models.CharField(_("工作室名称"), max_length=200)
    application = models.ForeignKey("applications.Application", verbose_name=_("入驻申请"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    #: designations.Designation id (kind admitted); a plain id so this app does not depend on its migrations
    designation_id = models.PositiveIntegerField(_("认定记录"), null=True, blank=True, unique=True)
    agreement_no = models.CharField(_("入驻协议编号"), max_length=60, unique=True)
    signed_on = models.DateField(_("协议签订日期"))
    admission_date = models.DateField(_("入驻日期"))
    agreement_file = models.FileField(_("入驻协议文件"), upload_to="park/agreements/%Y/", blank=True)
    rooms = models.ManyToManyField(Room, verbose_name=_("用房"), blank=True, related_name="residencies")
    rent_free_until = models.DateField(_("免租截止日"), null=True, blank=True)
    rent_free_outcome = models.JSONField(_("免租期计算"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ResidencyStatus.choices,
                              default=ResidencyStatus.ACTIVE)
    exited_on = models.DateField(_("取消入驻日期"), null=True, blank=True)
    exit_outcome = models.JSONField(_("取消入驻依据"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class FeeObligation(models.Model):
    residency = models.ForeignKey(Residency, on_delete=models.CASCADE, related_name="obligations")
    month = models.CharField(_("月份"), max_length=7, help_text=MONTH_HELP)
    utilities = models.DecimalField(_("水电费"), max_digits=10, decimal_places=2)
    property_fee = models.DecimalField(_("物业管理费"), max_digits=10, decimal_places=2)

    class Meta:
        ordering = ("month",)
        constraints = (models.UniqueConstraint(fields=["residency", "month"], name="park_fee_month_unique"),)

    @property
    def due(self):  # type: ignore[no-untyped-def]
        return self.utilities + self.property_fee


class FeePayment(models.Model):
    residency = models.ForeignKey(Residency, on_delete=models.CASCADE, related_name="payments")
    month = models.CharField(_("所缴月份"), max_length=7, help_text=MONTH_HELP)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("缴费日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("month", "paid_on")


class Presence(models.Model):
    residency = models.ForeignKey(Residency, on_delete=models.CASCADE, related_name="presence")
    month = models.CharField(_("月份"), max_length=7, help_text=MONTH_HELP)
    days = models.PositiveSmallIntegerField(_("到园天数"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("month",)
        constraints = (models.UniqueConstraint(fields=["residency", "month"], name="park_presence_month_unique"),)


class ReportKind(models.TextChoices):
    TRAINED = "trained", _("培训人数")
    CERTIFIED = "certified", _("取证人数")
    PROJECT = "project", _("技术项目")
    MEDIA = "media", _("媒体报道")
    AWARD = "award", _("专利奖项与论著")
    ECONOMIC = "economic", _("经济效益")


class Level(models.TextChoices):
    CITY = "市级", _("市级")
    PROVINCE = "省级", _("省级")
    MINISTRY = "部级", _("部级")


class EconomicGrade(models.TextChoices):
    EXCELLENT = "优", _("优")
    GOOD = "良", _("良")
    FAIR = "中", _("中")
    NONE = "无显著效益", _("无显著效益")


class DataReport(models.Model):
    """A studio's reported result with its evidence file (checked like application evidence)."""

    residency = models.ForeignKey(Residency, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类别"), max_length=20, choices=ReportKind.choices)
    title = models.CharField(_("名称/说明"), max_length=200)
    count = models.PositiveIntegerField(_("人数/数量"), default=1)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices, blank=True)
    grade = models.CharField(_("效益等级"), max_length=10, choices=EconomicGrade.choices, blank=True)
    amount = models.DecimalField(_("经济效益（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    evidence = models.FileField(_("佐证材料"), upload_to="park/reports/%Y/", max_length=255)
    evidence_name = models.CharField(max_length=255)
    evidence_type = models.CharField(max_length=10)
    sha256 = models.CharField(max_length=64)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-year", "kind", "pk")


class Evaluation(models.Model):
    """The park office's record of an evaluation run through ``evaluation`` (when ASSESS has none)."""

    residency = models.ForeignKey(Residency, on_delete=models.CASCADE, related_name="evaluations")
    year = models.PositiveSmallIntegerField(_("年度"))
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2)
    pass_mark = models.DecimalField(_("合格分"), max_digits=6, decimal_places=2)
    passed = models.BooleanField(_("合格"))
    outcome = models.JSONField(default=dict)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["residency", "year"], name="park_evaluation_year_unique"),)


class Rectification(models.Model):
    """五（四）4: a failed evaluation → notice with an office-set period → re-check."""

    objects = GuardedQuerySet.as_manager()  # a bulk update() of the state outside a transition is reported
    residency = models.ForeignKey(Residency, on_delete=models.CASCADE, related_name="rectifications")
    year = models.PositiveSmallIntegerField(_("评估年度"))
    evaluation_total = models.DecimalField(_("评估总分"), max_digits=6, decimal_places=2)
    pass_mark = models.DecimalField(_("合格分"), max_digits=6, decimal_places=2)
    fraud_found = models.BooleanField(_("弄虚作假"), default=False)
    notice_date = models.DateField(_("整改通知日期"))
    period_months = models.PositiveSmallIntegerField(_("整改期限（月）"))
    deadline = models.DateField(_("整改截止日"), null=True, blank=True)
    recheck_date = models.DateField(_("复查日期"), null=True, blank=True)
    recheck_total = models.DecimalField(_("复查总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    stage = models.CharField(_("整改阶段"), max_length=20, default="rectifying")
    outcome = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-notice_date",)


class Benefit(models.Model):
    residency = models.ForeignKey(Residency, on_delete=models.CASCADE, related_name="benefits")
    as_of = models.DateField(_("认定日期"))
    upgraded_to_business = models.BooleanField(_("已升级为技能创业"))
    outstanding_in = models.JSONField(_("业绩突出方面"), default=list, blank=True)
    startup_subsidy = models.BooleanField(_("创业补贴"))
    startup_subsidy_amount = models.DecimalField(_("创业补贴金额"), max_digits=12, decimal_places=2, null=True,
                                                 blank=True)
    performance_reward = models.BooleanField(_("绩效奖励"))
    performance_reward_amount = models.DecimalField(_("奖励金额"), max_digits=12, decimal_places=2, null=True,
                                                    blank=True)
    priority_flags = models.JSONField(_("优先事项"), default=dict)
    outcome = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-as_of", "-pk")


class ServiceKind(models.TextChoices):
    ADVISER = "adviser", _("技能顾问")
    GUIDANCE = "guidance", _("技术指导")
    INCUBATION = "incubation", _("特殊技能孵化")
    OUTSOURCING = "outsourcing", _("生产线服务外包")
    TRANSFER = "transfer", _("技术项目转化")
    TRAINING = "training", _("培训项目")


class ServiceOffering(models.Model):
    residency = models.ForeignKey(Residency, on_delete=models.CASCADE, related_name="offerings")
    kind = models.CharField(_("服务类别"), max_length=20, choices=ServiceKind.choices)
    title = models.CharField(_("服务名称"), max_length=120)
    description = models.TextField(_("服务内容"), max_length=2000)
    published = models.BooleanField(_("公开"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("kind", "title")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}（{self.residency.name}）"


class RequestStatus(models.TextChoices):
    NEW = "new", _("新提交")
    ROUTED = "routed", _("已分派")
    IN_PROGRESS = "in_progress", _("服务中")
    DONE = "done", _("已完成")
    DECLINED = "declined", _("未受理")


class ServiceRequest(models.Model):
    objects = GuardedQuerySet.as_manager()  # a bulk update() of the state outside a transition is reported

    receipt = models.CharField(_("受理编号"), max_length=24, unique=True)
    enterprise_name = models.CharField(_("企业名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    need = models.TextField(_("服务需求"), max_length=2000)
    kind = models.CharField(_("服务类别"), max_length=20, choices=ServiceKind.choices)
    offering = models.ForeignKey(ServiceOffering, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="requests")
    routed_to = models.ForeignKey(Residency, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="service_requests", verbose_name=_("承接工作室"))
    status = models.CharField(_("状态"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.NEW)
    note = models.CharField(_("办理说明"), max_length=300, blank=True)
    address = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-submitted_at",)
