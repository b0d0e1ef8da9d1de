"""Organisation tree (组织机构): issuing authority → district body → member unit.

Subtrees are found through a materialised ``path`` ("/1/7/42/"), fast on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Jurisdiction(models.TextChoices):
    NANCHANG = "nanchang", _("南昌市")
    ZHENJIANG = "zhenjiang", _("镇江市")
    GANZHOU = "ganzhou", _("赣州市")
    JIANGSU = "jiangsu", _("江苏省")


def jurisdiction_choices() -> list[tuple[str, str]]:
    """The shipped jurisdictions, then any other a loaded program declares (``jurisdiction`` with its
    ``jurisdiction_title`` in the program's ``platform.yaml``): another city comes with its program's folder."""
    from django.utils import translation

    from jiangxin.policy.registry import PROGRAMS
    from jiangxin.programs import load_all

    load_all()
    choices: list[tuple[str, str]] = [(str(value), str(label)) for value, label in Jurisdiction.choices]
    known = {value for value, _label in choices}
    language = translation.get_language() or "zh-hans"
    for key in sorted(PROGRAMS):
        declared = PROGRAMS[key].declaration
        if declared.jurisdiction and declared.jurisdiction not in known:
            known.add(declared.jurisdiction)
            title = declared.jurisdiction_title
            choices.append((declared.jurisdiction, title.in_language(language) if title else declared.jurisdiction))
    return choices


class Level(models.TextChoices):
    AUTHORITY = "authority", _("主管部门")
    DISTRICT = "district", _("县区/系统")
    MEMBER = "member", _("基层单位")


class Category(models.TextChoices):
    UNION = "union", _("工会")
    HR_BUREAU = "hr_bureau", _("人社部门")
    FINANCE = "finance", _("财政部门")
    INDUSTRY_DEPT = "industry_dept", _("行业主管部门")
    PARK = "park", _("产业园区")
    ENTERPRISE = "enterprise", _("企业")
    COLLEGE = "college", _("院校")
    TRAINING_UNIT = "training_unit", _("承训单位")
    OTHER = "other", _("其他")


class Organisation(models.Model):
    name = models.CharField(_("名称"), max_length=200)
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    jurisdiction = models.CharField(_("所属地区"), max_length=20, choices=jurisdiction_choices)
    parent = models.ForeignKey("self", verbose_name=_("上级"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, null=True, blank=True, unique=True)
    region = models.CharField(_("所在区县"), max_length=50, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)

    class Meta:
        ordering = ["path"]  # noqa: RUF012
        # prefix search of the choice boxes (core/picks.py): LIKE 'x%' uses the pattern-ops index on PostgreSQL too
        indexes = (models.Index(fields=["jurisdiction", "level"], name="org_jurisdiction_level"),
                   models.Index(fields=["name"], name="org_name"),
                   models.Index(fields=["name"], name="orgs_org_name_prefix", opclasses=["varchar_pattern_ops"]))
        verbose_name = _("组织")
        verbose_name_plural = _("组织")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from jiangxin.policy.errors import PolicyError
        from jiangxin.policy.identity import validate_credit_code

        if self.credit_code:
            try:
                self.credit_code = validate_credit_code(self.credit_code)
            except PolicyError as exc:
                raise ValidationError({"credit_code": str(exc).split(" / ")[0]}) from None
        if self.pk and self.parent is not None and f"/{self.pk}/" in (self.parent.path or ""):
            raise ValidationError({"parent": _("上级不能是本组织或其下级")})

    def save(self, *args: object, **kwargs: object) -> None:
        if self.credit_code == "":
            self.credit_code = None
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if path != self.path:
            old = self.path
            Organisation.objects.filter(pk=self.pk).update(path=path)
            self.path = path
            if old:
                for child in Organisation.objects.filter(path__startswith=old).exclude(pk=self.pk):
                    Organisation.objects.filter(pk=child.pk).update(path=path + child.path[len(old):])

    def subtree(self) -> models.QuerySet[Organisation]:
        return Organisation.objects.filter(path__startswith=self.path)

    def ancestors(self) -> list[Organisation]:
        ids = [int(p) for p in self.path.strip("/").split("/") if p]
        found = {o.pk: o for o in Organisation.objects.filter(pk__in=ids)}
        return [found[i] for i in ids if i in found]
