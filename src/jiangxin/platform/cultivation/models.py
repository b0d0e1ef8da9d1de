"""江苏省卓越技师培育计划: one cultivation year (学年) run by the province, city HR bureaus, training units,
trainees and their employers.

The decisions stored here (plan check, mentor check, grades, sanctions, deferral, acceptance score, spending
split, funding) each hold the Outcome JSON of the ``jiangsu_technician`` computation they came from, so every
result carries its articles (江苏卓越技师办法 第七条 … 第二十四条).

The module stays whole although long: it is one idea, the cultivation year's records, tied together by foreign keys
and by the choices they share; splitting it would only scatter one schema over several files.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.core.transitions import GuardedQuerySet


class YearStatus(models.TextChoices):
    CHOOSING = "choosing", _("选专业")
    TRAINING = "training", _("培训实施")
    GRADING = "grading", _("考核评定")
    ACCEPTANCE = "acceptance", _("考核验收")
    CLOSED = "closed", _("已结束")


class CultivationYear(models.Model):
    """A 学年 of the plan: opened by the province office, majors published, then training, grading, acceptance."""

    objects = GuardedQuerySet.as_manager()  # a bulk update() of the state outside a transition is reported
    year = models.PositiveSmallIntegerField(_("学年"), unique=True)
    status = models.CharField(_("阶段"), max_length=20, choices=YearStatus.choices, default=YearStatus.CHOOSING)
    choice_closes_on = models.DateField(_("选专业截止日期"), null=True, blank=True)
    report_due_on = models.DateField(_("研修报告提交截止日期"), null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-year",)
        verbose_name = _("培育学年")

    def __str__(self) -> str:
        return f"{self.year}学年"


class CityLead(models.Model):
    """培育计划实施市级负责人 (第十二条): one staff member of each 设区市 HR bureau, per year."""

    year = models.ForeignKey(CultivationYear, on_delete=models.CASCADE, related_name="city_leads")
    city_bureau = models.ForeignKey("orgs.Organisation", verbose_name=_("设区市人社局"), on_delete=models.PROTECT,
                                    related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("市级负责人"), on_delete=models.PROTECT,
                             related_name="cultivation_leads")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["year", "city_bureau"], name="cultivation_one_lead_per_city"),)


class CatalogueCategory(models.TextChoices):
    """专业类别, after the categories of the national technical-school catalogue (第七条)."""

    MACHINERY = "machinery", _("机械类")
    ELECTRICAL = "electrical", _("电工电子类")
    INFORMATION = "information", _("信息类")
    TRANSPORT = "transport", _("交通类")
    SERVICE = "service", _("服务类")
    COMMERCE = "commerce", _("财经商贸类")
    AGRICULTURE = "agriculture", _("农业类")
    ENERGY = "energy", _("能源类")
    CHEMICAL = "chemical", _("化工类")
    METALLURGY = "metallurgy", _("冶金类")
    CONSTRUCTION = "construction", _("建筑类")
    TEXTILE = "textile", _("轻纺类")
    ARTS = "arts", _("文化艺术类")
    MEDICINE = "medicine", _("医药类")
    OTHER = "other", _("其他类")


class Major(models.Model):
    """承训专业: a major a training unit offers in a year (第七条)."""

    objects = GuardedQuerySet.as_manager()  # a bulk update() of the state outside a transition is reported
    year = models.ForeignKey(CultivationYear, on_delete=models.CASCADE, related_name="majors")
    training_unit = models.ForeignKey("orgs.Organisation", verbose_name=_("承训单位"), on_delete=models.PROTECT,
                                      related_name="cultivation_majors")
    category = models.CharField(_("专业类别"), max_length=20, choices=CatalogueCategory.choices)
    name = models.CharField(_("专业名称"), max_length=100)
    code = models.CharField(_("专业代码"), max_length=20, blank=True)
    capacity = models.PositiveSmallIntegerField(_("可承接人数"), null=True, blank=True)
    description = models.TextField(_("培训内容简介"), blank=True)
    published = models.BooleanField(_("已发布"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("training_unit__name", "category", "name")
        constraints = (models.UniqueConstraint(fields=["year", "training_unit", "name"],
                                               name="cultivation_major_unique"),)

    def __str__(self) -> str:
        return f"{self.training_unit} · {self.name}"


class Title(models.TextChoices):
    """职称级别 (the policy core's ``Title``)."""

    NONE = "无", _("无")
    JUNIOR = "初级", _("初级")
    INTERMEDIATE = "中级", _("中级")
    ASSOCIATE_SENIOR = "副高级", _("副高级")
    SENIOR = "正高级", _("正高级")


class Mentor(models.Model):
    """指导教师 of a training unit (第十六条): 副高级 title or 高级技师 level or above, checked by the core."""

    training_unit = models.ForeignKey("orgs.Organisation", verbose_name=_("承训单位"), on_delete=models.PROTECT,
                                      related_name="cultivation_mentors")
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职称"), max_length=10, choices=Title.choices, default=Title.NONE)
    skill_level = models.CharField(_("职业技能等级"), max_length=30, blank=True)
    specialty = models.CharField(_("专业方向"), max_length=100, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登录账号"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    active = models.BooleanField(_("在岗"), default=True)

    class Meta:
        ordering = ("training_unit__name", "name")

    def __str__(self) -> str:
        return self.name

    @property
    def title_shown(self) -> str:
        """The 职称 in the reader's language, empty when there is none (``Title.NONE`` reads 无/None: no value)."""
        return "" if self.title in ("", Title.NONE) else str(self.get_title_display())


class EnrolmentStatus(models.TextChoices):
    CHOOSING = "choosing", _("待选专业")
    ENROLLED = "enrolled", _("在训")
    DEFERRED = "deferred", _("已延期")
    GRADED = "graded", _("已评定")
    WITHDRAWN = "withdrawn", _("已退出")


class Enrolment(models.Model):
    """A trainee's participation in one year: the choice of unit and major (附件1), mentor, training file,
    grade. A two-year cohort has one enrolment per year; a deferred year is followed by a new enrolment."""

    objects = GuardedQuerySet.as_manager()  # a bulk update() of the state outside a transition is reported
    year = models.ForeignKey(CultivationYear, on_delete=models.PROTECT, related_name="enrolments")
    designation = models.ForeignKey("designations.Designation", verbose_name=_("入选记录"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="cultivation_enrolments")
    person = models.ForeignKey("people.Person", verbose_name=_("培育对象"), on_delete=models.PROTECT,
                               related_name="cultivation_enrolments")
    track = models.CharField(_("培育类别"), max_length=1, choices=(("A", _("A类")), ("B", _("B类"))))
    employer = models.ForeignKey("orgs.Organisation", verbose_name=_("工作单位"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    home_city = models.ForeignKey("orgs.Organisation", verbose_name=_("所在设区市人社局"), on_delete=models.PROTECT,
                                  related_name="+")
    major = models.ForeignKey(Major, verbose_name=_("所选专业"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="enrolments")
    remote = models.BooleanField(_("异地参训"), default=False)
    chosen_at = models.DateTimeField(_("选定时间"), null=True, blank=True)
    mentor = models.ForeignKey(Mentor, verbose_name=_("指导教师"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="enrolments")
    enterprise_mentor = models.CharField(_("企业导师（企校双师，可选）"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=EnrolmentStatus.choices,
                              default=EnrolmentStatus.CHOOSING)
    score = models.DecimalField(_("量化得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("评定等次"), max_length=10, blank=True)
    grade_outcome = models.JSONField(_("评定依据"), null=True, blank=True)
    passed = models.BooleanField(_("验收合格"), null=True, blank=True)
    certificate_no = models.CharField(_("合格证书编号"), max_length=40, blank=True)
    deferral_outcome = models.JSONField(_("延期决定"), null=True, blank=True)
    entry_outcome = models.JSONField(_("参训资格核查结果"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("year", "person__name")
        constraints = (models.UniqueConstraint(fields=["year", "person"], name="cultivation_one_enrolment_a_year"),)

    def __str__(self) -> str:
        return f"{self.person.name}（{self.year}，{self.track}类）"

    @property
    def training_unit(self):  # type: ignore[no-untyped-def]
        return self.major.training_unit if self.major is not None else None


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待市级负责人审核")
    APPROVED = "approved", _("已审核通过")
    RETURNED = "returned", _("已退回修改")


class TrainingPlan(models.Model):
    """培训计划 of a training unit for a year (第九条, 第十五条, 第十七条), approved by the city lead."""

    objects = GuardedQuerySet.as_manager()  # a bulk update() of the state outside a transition is reported
    year = models.ForeignKey(CultivationYear, on_delete=models.PROTECT, related_name="plans")
    training_unit = models.ForeignKey("orgs.Organisation", verbose_name=_("承训单位"), on_delete=models.PROTECT,
                                      related_name="cultivation_plans")
    hours_required = models.DecimalField(_("要求学时"), max_digits=7, decimal_places=1)
    credits_required = models.DecimalField(_("要求学分"), max_digits=7, decimal_places=1)
    status = models.CharField(_("状态"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    check_outcome = models.JSONField(_("审核计算结果"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["year", "training_unit"], name="cultivation_one_plan"),)


class SessionKind(models.TextChoices):
    THEORY = "theory", _("理论学习")
    PRACTICE = "practice", _("实操实训")


class SessionRole(models.TextChoices):
    REGULAR = "regular", _("专业课程")
    OPENING = "opening", _("开班仪式")
    COMPREHENSIVE = "comprehensive", _("综合培训")


class Delivery(models.TextChoices):
    ONSITE = "onsite", _("现场")
    ONLINE = "online", _("仅线上")
    BLENDED = "blended", _("现场（异地学员可线上）")


class PlanSession(models.Model):
    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="sessions")
    key = models.CharField(_("编号"), max_length=20)
    title = models.CharField(_("课程名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=10, choices=SessionKind.choices)
    role = models.CharField(_("环节"), max_length=20, choices=SessionRole.choices, default=SessionRole.REGULAR)
    delivery = models.CharField(_("授课方式"), max_length=10, choices=Delivery.choices, default=Delivery.ONSITE)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    hours = models.DecimalField(_("学时"), max_digits=6, decimal_places=1)
    credits = models.DecimalField(_("学分"), max_digits=6, decimal_places=1, default=0)
    major = models.ForeignKey(Major, verbose_name=_("适用专业（空为全部）"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ("start", "key")
        constraints = (models.UniqueConstraint(fields=["plan", "key"], name="cultivation_session_key_unique"),)

    def __str__(self) -> str:
        return f"{self.key} {self.title}"


class Attendance(models.Model):
    """Hours and credits one trainee earned in one session (entered or imported from XLSX)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    session = models.ForeignKey(PlanSession, on_delete=models.PROTECT, related_name="attendance")
    hours = models.DecimalField(_("参训学时"), max_digits=6, decimal_places=1)
    credits = models.DecimalField(_("获得学分"), max_digits=6, decimal_places=1, default=0)
    online = models.BooleanField(_("线上参加"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["enrolment", "session"], name="cultivation_attendance_unique"),)


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class LeaveRequest(models.Model):
    """请假 (第十二条: approved by the city lead)."""

    objects = GuardedQuerySet.as_manager()  # a bulk update() of the state outside a transition is reported
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="leave_requests")
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    reason = models.TextField(_("请假事由"))
    status = models.CharField(_("状态"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)


class ResearchReport(models.Model):
    """研修报告 (第十九条): one per trainee per year, evaluated by the unit's experts."""

    objects = GuardedQuerySet.as_manager()  # a bulk update() of the state outside a transition is reported
    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="report")
    title = models.CharField(_("题目"), max_length=200)
    abstract = models.TextField(_("摘要"), blank=True)
    file = models.FileField(_("报告文件"), upload_to="cultivation/reports/%Y/")
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    score = models.DecimalField(_("专家评估得分"), max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ("-submitted_at",)


class ReportEvaluation(models.Model):
    report = models.ForeignKey(ResearchReport, on_delete=models.CASCADE, related_name="evaluations")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评估专家"), on_delete=models.PROTECT,
                               related_name="+")
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("评语"), blank=True)
    evaluated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["report", "expert"], name="cultivation_one_evaluation"),)


class UnitGrading(models.Model):
    """A training unit's grading of its trainees for a year (第二十条, 第二十一条): the whole Outcome."""

    year = models.ForeignKey(CultivationYear, on_delete=models.PROTECT, related_name="gradings")
    training_unit = models.ForeignKey("orgs.Organisation", verbose_name=_("承训单位"), on_delete=models.PROTECT,
                                      related_name="+")
    outcome = models.JSONField(_("评定计算结果"))
    graded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    graded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["year", "training_unit"], name="cultivation_one_grading"),)


class IncidentKind(models.TextChoices):
    TRAINEE_DISCIPLINE = "trainee_discipline", _("培育对象违反培训纪律")
    EMPLOYER_NO_SUPPORT = "employer_no_support", _("用人单位无正当理由不支持参训")


class Incident(models.Model):
    """A finding under 第二十一条 and the bans it brought (people.Ban rows, linked by id)."""

    year = models.ForeignKey(CultivationYear, on_delete=models.PROTECT, related_name="incidents")
    kind = models.CharField(_("类别"), max_length=30, choices=IncidentKind.choices)
    enrolment = models.ForeignKey(Enrolment, null=True, blank=True, on_delete=models.PROTECT, related_name="incidents")
    employer = models.ForeignKey("orgs.Organisation", verbose_name=_("用人单位"), on_delete=models.PROTECT,
                                 related_name="+")
    description = models.TextField(_("事实经过"))
    decided_on = models.DateField(_("认定日期"))
    notify_employer = models.BooleanField(_("通报至工作单位"), null=True, blank=True)
    without_good_reason = models.BooleanField(_("无正当理由"), null=True, blank=True)
    outcome = models.JSONField(_("处理计算结果"))
    ban_ids = models.JSONField(_("禁止记录"), default=list)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class UnitAcceptance(models.Model):
    """省级考核验收 of a training unit (第二十二条, 附件4): rubric scores, passing counts, funding entries."""

    year = models.ForeignKey(CultivationYear, on_delete=models.PROTECT, related_name="acceptances")
    training_unit = models.ForeignKey("orgs.Organisation", verbose_name=_("承训单位"), on_delete=models.PROTECT,
                                      related_name="+")
    item_scores = models.JSONField(_("各项评分"), default=dict)
    outcome = models.JSONField(_("验收评分结果"), null=True, blank=True)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    passing_a = models.PositiveSmallIntegerField(_("A类验收合格人数"), default=0)
    passing_b = models.PositiveSmallIntegerField(_("B类验收合格人数"), default=0)
    finance_bureau = models.CharField(_("拨付财政部门"), max_length=200, blank=True)
    funding_outcome = models.JSONField(_("经费核拨结果"), null=True, blank=True)
    provincial_assessor = models.CharField(_("省级考核人"), max_length=50, blank=True)
    city_assessor = models.CharField(_("市级考核人"), max_length=50, blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assessed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["year", "training_unit"], name="cultivation_one_acceptance"),)


class ExpenseCategory(models.TextChoices):
    TEACHING = "teaching", _("教学支出")
    CONSUMABLES = "consumables", _("实操实训耗材")
    TRANSPORT = "transport", _("往返交通补贴")
    MEALS = "meals", _("用餐补贴")
    LODGING = "lodging", _("住宿补贴")
    OTHER = "other", _("其他补贴")


class Expense(models.Model):
    """A line of the unit's 补助经费 spending ledger (第十条, 第十一条), checked by ``spending_split``."""

    year = models.ForeignKey(CultivationYear, on_delete=models.PROTECT, related_name="expenses")
    training_unit = models.ForeignKey("orgs.Organisation", verbose_name=_("承训单位"), on_delete=models.PROTECT,
                                      related_name="+")
    category = models.CharField(_("支出类别"), max_length=20, choices=ExpenseCategory.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    spent_on = models.DateField(_("支出日期"))
    description = models.CharField(_("摘要"), max_length=200)
    enrolment = models.ForeignKey(Enrolment, verbose_name=_("受益培育对象"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="expenses")
    at_unit_canteen = models.BooleanField(_("在承训单位食堂用餐"), null=True, blank=True)
    trainee_only = models.BooleanField(_("仅限培育对象本人"), null=True, blank=True)
    evidence = models.FileField(_("凭证"), upload_to="cultivation/expenses/%Y/", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("spent_on", "pk")


class SurveyKind(models.TextChoices):
    SATISFACTION = "satisfaction", _("培育对象满意度调查（附件2）")
    EMPLOYER = "employer", _("用人单位调查和评价（附件3）")


class SurveyResponse(models.Model):
    """One filled questionnaire. ``answers`` follows the form in :mod:`.surveys` for its kind."""

    year = models.ForeignKey(CultivationYear, on_delete=models.PROTECT, related_name="survey_responses")
    kind = models.CharField(_("问卷"), max_length=20, choices=SurveyKind.choices)
    training_unit = models.ForeignKey("orgs.Organisation", verbose_name=_("承训单位"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey(Enrolment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey("orgs.Organisation", verbose_name=_("用人单位"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(_("答卷"))
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["year", "kind", "enrolment"], name="cultivation_one_satisfaction",
                                    condition=models.Q(enrolment__isnull=False)),
            models.UniqueConstraint(fields=["year", "kind", "employer"], name="cultivation_one_employer_survey",
                                    condition=models.Q(employer__isnull=False)),
        )
