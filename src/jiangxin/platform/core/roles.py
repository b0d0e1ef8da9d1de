"""Roles (角色). A user holds exactly one role and acts for one organisation node."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE = "office", _("主管部门工作人员")
    DISTRICT = "district", _("县区/系统初审人员")
    EXPERT = "expert", _("评审专家")
    UNIT = "unit", _("申报单位")
    INDIVIDUAL = "individual", _("个人申报人")
    TRAINING_UNIT = "training_unit", _("承训单位")
    TRAINEE = "trainee", _("培育对象")
    PARK_OFFICE = "park_office", _("园区管理办公室")
    FINANCE = "finance", _("财务人员")
    SYSTEM_ADMIN = "sysadmin", _("系统管理员")
    SECURITY_ADMIN = "secadmin", _("安全管理员")
    AUDIT_ADMIN = "auditadmin", _("审计管理员")


#: the three separated administrators (三员分立): none of them handles business data
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
#: roles that review or decide for a whole subtree of organisations
STAFF_ROLES = frozenset({Role.OFFICE, Role.DISTRICT, Role.PARK_OFFICE, Role.FINANCE})
#: roles that only ever see their own records
APPLICANT_ROLES = frozenset({Role.UNIT, Role.INDIVIDUAL, Role.TRAINING_UNIT, Role.TRAINEE})
