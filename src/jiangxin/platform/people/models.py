"""People registry (人员库): persons with their ID number encrypted at rest, honours, and bans.

The plain ID number is never stored: ``id_cipher`` holds the ciphertext (see :mod:`.crypto`),
``id_hash`` the keyed hash used for lookups and uniqueness, ``id_mask`` the masked form shown in lists.
Create persons through :func:`jiangxin.platform.people.services.register_person`.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiangxin.platform.people.crypto import get_cipher
from jiangxin.platform.people.levels import OriginalRetirementAge, Sex, SkillLevel, TitleLevel


class Person(models.Model):
    name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=10, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    id_cipher = models.TextField(_("公民身份号码（密文）"), editable=False)
    id_hash = models.CharField(max_length=64, unique=True, editable=False)
    id_mask = models.CharField(_("公民身份号码"), max_length=20, editable=False)
    employer = models.ForeignKey("orgs.Organisation", verbose_name=_("工作单位"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="people")
    skill_level = models.CharField(_("职业技能等级"), max_length=20, choices=SkillLevel.choices, blank=True)
    skill_occupation = models.CharField(_("职业（工种）"), max_length=100, blank=True)
    title_level = models.CharField(_("职称等级"), max_length=20, choices=TitleLevel.choices,
                                   default=TitleLevel.NONE)
    title_name = models.CharField(_("职称名称"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    original_retirement_age = models.PositiveSmallIntegerField(
        _("原法定退休年龄"), choices=OriginalRetirementAge.choices, null=True, blank=True)
    residence_city = models.CharField(_("户籍/居住地"), max_length=50, blank=True)
    work_city = models.CharField(_("工作地"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ("name", "id")
        # prefix search of the choice boxes (core/picks.py): LIKE 'x%' uses the pattern-ops index on PostgreSQL too
        indexes = (models.Index(fields=["name", "id"], name="person_name"),
                   models.Index(fields=["name"], name="people_person_name_prefix", opclasses=["varchar_pattern_ops"]))
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self) -> str:
        return f"{self.name}（{self.id_mask}）"

    @property
    def id_masked(self) -> str:
        """The ID number with the middle starred: the only form shown to anyone but the person."""
        return self.id_mask

    def reveal_id_number(self) -> str:
        """Decrypt the number. Only for the person themself (profile page) and for rule checks."""
        return get_cipher().decrypt(self.id_cipher)

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


class HonourKind(models.TextChoices):
    MODEL_WORKER = "model_worker", _("劳动模范")
    MAY_DAY_MEDAL = "may_day_medal", _("五一劳动奖章")
    NATIONAL_TECH_EXPERT = "national_tech_expert", _("全国技术能手")
    GREAT_CRAFTSMAN = "great_craftsman", _("大国工匠")
    GANPO_CRAFTSMAN = "ganpo_craftsman", _("赣鄱工匠")
    SKILLED_ARTISAN = "skilled_artisan", _("能工巧匠")
    HONGCHENG_CRAFTSMAN = "hongcheng_craftsman", _("洪城工匠")
    HONGCHENG_TECHNICIAN = "hongcheng_technician", _("洪城技师")
    COUNTY_CRAFTSMAN = "county_craftsman", _("县级工匠")
    INDUSTRY_SKILL_LEADER = "industry_skill_leader", _("行业职业技能带头人")
    INNOVATION_EXPERT = "innovation_expert", _("职工技术创新能手")
    TALENT_CATALOGUE = "talent_catalogue", _("人才目录类别")
    NATIONAL_TALENT_PLAN = "national_talent_plan", _("国家级人才计划")
    PROVINCE_DOUBLE_THOUSAND = "province_double_thousand", _("省双千计划")
    PROVINCE_DOUBLE_HIGH = "province_double_high", _("省双高工程")
    OTHER = "other", _("其他")


class HonourLevel(models.TextChoices):
    COUNTY = "county", _("县级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("全国")
    CLASS_A = "A", _("A类")
    CLASS_B = "B", _("B类")
    CLASS_C = "C", _("C类")
    CLASS_D = "D", _("D类")
    CLASS_E = "E", _("E类")


GEOGRAPHIC_LEVELS = frozenset({HonourLevel.COUNTY, HonourLevel.CITY, HonourLevel.PROVINCE, HonourLevel.NATIONAL})
CATALOGUE_CLASSES = frozenset({HonourLevel.CLASS_A, HonourLevel.CLASS_B, HonourLevel.CLASS_C,
                               HonourLevel.CLASS_D, HonourLevel.CLASS_E})
#: kinds whose level must be stated (county/city/province/national)
LEVELLED_KINDS = frozenset({HonourKind.MODEL_WORKER, HonourKind.MAY_DAY_MEDAL})


def honour_evidence_path(instance: Honour, filename: str) -> str:
    return f"honours/{instance.person_id}/{filename}"


class Honour(models.Model):
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="honours")
    kind = models.CharField(_("荣誉类别"), max_length=40, choices=HonourKind.choices)
    level = models.CharField(_("级别"), max_length=10, choices=HonourLevel.choices, blank=True)
    title = models.CharField(_("荣誉名称"), max_length=200, blank=True)
    issuer = models.CharField(_("授予机关"), max_length=100, blank=True)
    awarded_on = models.DateField(_("授予日期"))
    evidence = models.FileField(_("证明材料"), upload_to=honour_evidence_path, blank=True)
    verified = models.BooleanField(_("已核实"), default=False)
    verified_by = models.ForeignKey("accounts.User", verbose_name=_("核实人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)

    class Meta:
        ordering = ("-awarded_on", "id")
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")

    def __str__(self) -> str:
        label = self.get_kind_display()
        if self.level:
            label = f"{self.get_level_display()}{label}"
        return f"{label}（{self.awarded_on:%Y-%m-%d}）"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind in LEVELLED_KINDS and self.level not in GEOGRAPHIC_LEVELS:
            errors["level"] = str(_("劳动模范、五一劳动奖章须注明级别（县级、市级、省级或全国）。"))
        if self.kind == HonourKind.TALENT_CATALOGUE and self.level not in CATALOGUE_CLASSES:
            errors["level"] = str(_("人才目录类别须为A至E类之一。"))
        if self.kind != HonourKind.TALENT_CATALOGUE and self.level in CATALOGUE_CLASSES:
            errors["level"] = str(_("A至E类仅用于人才目录类别。"))
        if self.kind == HonourKind.OTHER and not self.title:
            errors["title"] = str(_("类别为“其他”时须填写荣誉名称。"))
        if self.awarded_on and self.awarded_on > timezone.localdate():
            errors["awarded_on"] = str(_("授予日期不能晚于今天。"))
        if errors:
            raise ValidationError(errors)


class BanProgram(models.TextChoices):
    """The ban that reaches every program; the others are the loaded programs and the scopes they declare."""

    ALL = "all", _("全部项目")


def ban_program_choices() -> list[tuple[str, str]]:
    """All programs, then every loaded program by its title, each followed by the programs run outside the platform
    that its document's bans reach (``ban_scopes`` in its platform.yaml): a program added as a folder can bar its
    applicants like the shipped ones."""
    from django.utils import translation

    from jiangxin.platform.core.templatetags.labels import program_name
    from jiangxin.policy.registry import PROGRAMS, load_programs

    load_programs()
    language = translation.get_language() or "zh-hans"
    choices: list[tuple[str, str]] = [(str(BanProgram.ALL.value), str(BanProgram.ALL.label))]
    for key, program in PROGRAMS.items():
        choices.append((key, program_name(key)))  # the program's name in the reader's language (label layer)
        choices += [(scope.key, scope.title.in_language(language)) for scope in program.declaration.ban_scopes]
    return choices


class BanQuerySet(models.QuerySet["Ban"]):
    def active_on(self, day: dt.date) -> BanQuerySet:
        return self.filter(Q(end__isnull=True) | Q(end__gte=day), start__lte=day)

    def for_program(self, program: str) -> BanQuerySet:
        return self.filter(program__in=[program, BanProgram.ALL])


class Ban(models.Model):
    """A period in which a person or organisation may not apply (禁止申报), with the rule it comes from."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="bans")
    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("组织"), null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="bans")
    program = models.CharField(_("项目"), max_length=40, choices=ban_program_choices)
    reason = models.TextField(_("原因"))
    citation_label = models.CharField(_("依据条款"), max_length=200)
    start = models.DateField(_("起始日期"))
    end = models.DateField(_("截止日期（空为永久）"), null=True, blank=True)
    decision_reference = models.CharField(_("决定文号"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    objects = BanQuerySet.as_manager()

    class Meta:
        ordering = ("-start", "id")
        verbose_name = _("禁止申报记录")
        verbose_name_plural = _("禁止申报记录")
        constraints = (
            models.CheckConstraint(
                condition=(Q(person__isnull=False, organisation__isnull=True)
                           | Q(person__isnull=True, organisation__isnull=False)),
                name="ban_exactly_one_subject"),
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                                   name="ban_end_not_before_start"),
        )

    def __str__(self) -> str:
        subject = self.person or self.organisation
        until = self.end.isoformat() if self.end else str(_("永久"))
        return f"{subject} {self.get_program_display()} {self.start}–{until}"

    @property
    def permanent(self) -> bool:
        return self.end is None

    def is_active(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)

    def clean(self) -> None:
        if (self.person_id is None) == (self.organisation_id is None):
            raise ValidationError(_("禁止申报记录须且只能针对一个人员或一个组织。"))
        if self.end is not None and self.start and self.end < self.start:
            raise ValidationError({"end": _("截止日期不能早于起始日期。")})
