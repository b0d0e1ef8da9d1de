"""新八级: the national vocational skill ladder, one definition for every program and the platform.

Listed lowest first (the order is meaningful); the comment beside each level gives its place on the
earlier five-grade scale (五级 … 一级) where it has one.
"""

from __future__ import annotations

import enum


class SkillLevel(enum.StrEnum):
    APPRENTICE = "学徒工"            # 见习，尚无等级证书
    JUNIOR = "初级工"                # 五级
    INTERMEDIATE = "中级工"          # 四级
    SENIOR = "高级工"                # 三级
    TECHNICIAN = "技师"              # 二级
    SENIOR_TECHNICIAN = "高级技师"   # 一级
    SPECIAL_TECHNICIAN = "特级技师"  # 新设等级
    CHIEF_TECHNICIAN = "首席技师"    # 新设等级


#: 0 for 学徒工 up to 7 for 首席技师
SKILL_RANK: dict[str, int] = {level.value: i for i, level in enumerate(SkillLevel)}


def at_least(level: str, minimum: str) -> bool:
    """True when ``level`` is ``minimum`` or above (以上 includes the level itself)."""
    return SKILL_RANK[level] >= SKILL_RANK[minimum]
