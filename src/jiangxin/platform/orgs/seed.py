"""The standard organisation tree of the five programs (issuing authorities and their district bodies).

:func:`seed_org_tree` is idempotent: a node is found by (name, parent) and created only when missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from jiangxin.platform.audit.service import record
from jiangxin.platform.orgs.models import Category, Jurisdiction, Level, Organisation


@dataclass(frozen=True)
class Node:
    name: str
    category: str
    level: str = Level.DISTRICT
    region: str = ""
    children: tuple[Node, ...] = field(default_factory=tuple)


NANCHANG_DISTRICTS = ("东湖区", "西湖区", "青云谱区", "青山湖区", "新建区", "红谷滩区", "南昌县", "进贤县", "安义县")
NANCHANG_ZONES = ("南昌高新区工会工委", "南昌经开区工会工委", "湾里管理局工会工委")
GANZHOU_COUNTIES = ("章贡区", "南康区", "赣县区", "瑞金市", "龙南市", "信丰县", "大余县", "上犹县", "崇义县", "安远县",
                    "定南县", "全南县", "宁都县", "于都县", "兴国县", "会昌县", "寻乌县", "石城县")
JIANGSU_CITIES = ("南京市", "无锡市", "徐州市", "常州市", "苏州市", "南通市", "连云港市", "淮安市", "盐城市", "扬州市",
                  "镇江市", "泰州市", "宿迁市")

TREE: dict[str, tuple[Node, ...]] = {
    Jurisdiction.NANCHANG: (
        Node("南昌市总工会", Category.UNION, Level.AUTHORITY, "南昌市", (
            *(Node(f"{d}总工会", Category.UNION, region=d) for d in NANCHANG_DISTRICTS),
            *(Node(z, Category.UNION) for z in NANCHANG_ZONES),
            Node("南昌市教科文卫体工会", Category.UNION),
            Node("产业和直属基层工会工作部（市直属基层工会）", Category.UNION),
        )),
        # the finance bureau that approves the city's disbursement batches (every chain has its payer)
        Node("南昌市财政局", Category.FINANCE, Level.AUTHORITY, "南昌市"),
    ),
    Jurisdiction.ZHENJIANG: (
        Node("镇江市人力资源和社会保障局", Category.HR_BUREAU, Level.AUTHORITY, "镇江市", (
            Node("镇江市技能大师产业创新园管理办公室", Category.PARK),
        )),
        Node("镇江市财政局", Category.FINANCE, Level.AUTHORITY, "镇江市"),
    ),
    Jurisdiction.GANZHOU: (
        Node("赣州市人力资源和社会保障局", Category.HR_BUREAU, Level.AUTHORITY, "赣州市", (
            *(Node(f"{c}人力资源和社会保障局", Category.HR_BUREAU, region=c) for c in GANZHOU_COUNTIES),
            Node("市直有关行业主管部门", Category.INDUSTRY_DEPT),
        )),
        Node("赣州市财政局", Category.FINANCE, Level.AUTHORITY, "赣州市"),
    ),
    Jurisdiction.JIANGSU: (
        Node("江苏省人力资源和社会保障厅", Category.HR_BUREAU, Level.AUTHORITY, "江苏省", tuple(
            Node(f"{c}人力资源和社会保障局", Category.HR_BUREAU, region=c) for c in JIANGSU_CITIES)),
        Node("江苏省财政厅", Category.FINANCE, Level.AUTHORITY, "江苏省"),
    ),
}


def _ensure(node: Node, jurisdiction: str, parent: Organisation | None, created: list[Organisation]) -> None:
    org = Organisation.objects.filter(name=node.name, parent=parent, jurisdiction=jurisdiction).first()
    if org is None:
        org = Organisation(name=node.name, level=node.level, category=node.category, jurisdiction=jurisdiction,
                           parent=parent, region=node.region)
        org.save()
        created.append(org)
    for child in node.children:
        _ensure(child, jurisdiction, org, created)


def seed_org_tree() -> list[Organisation]:
    """Create the missing nodes of the standard tree; returns the nodes created (empty on a re-run)."""
    created: list[Organisation] = []
    with transaction.atomic():
        for jurisdiction, roots in TREE.items():
            for root in roots:
                _ensure(root, jurisdiction, None, created)
        if created:
            record("orgs.seed", None, summary=f"初始化组织机构树，新建{len(created)}个节点",
                   object_type="orgs.Organisation", after={"created": [o.name for o in created]})
    return created
