"""Deterministic synthetic demo data across the four jurisdictions (seeded ``random.Random(20261123)``).

Everything is created through the apps' service functions, so the audit log tells the story too.
All names are invented; identity numbers are synthetic but pass their check digits.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from jiangxin.platform.accounts.models import User
from jiangxin.platform.accounts.roles import ADMIN_ROLES, Role
from jiangxin.platform.applications import services as app_services
from jiangxin.platform.applications.models import Application
from jiangxin.platform.core.demo_fixtures import DEMO_PASSWORD, credit_code, demo_pdf, resident_id
from jiangxin.platform.orgs.models import Category, Jurisdiction, Level, Organisation
from jiangxin.platform.orgs.seed import seed_org_tree
from jiangxin.platform.rounds import services as round_services
from jiangxin.platform.rounds.models import Program, Round

SEED = 20261123
MARKER_USERNAME = "demo_office_nc"
YEAR = 2026

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红梅志强文斌海燕宏亮晓东春雷"

#: (username, role, jurisdiction/org lookup, display name, what to try) — one login per role
LOGINS: list[tuple[str, str, str, str]] = [
    ("demo_office_nc", Role.OFFICE, "南昌市总工会 工作人员", "新建/开放/截止申报批次；查看已提交申报"),
    ("demo_office_zj", Role.OFFICE, "镇江市人社局 工作人员", "查看园区批次与入驻申报"),
    ("demo_park_zj", Role.PARK_OFFICE, "镇江创新园管理办公室", "管理入驻申报批次（设定考核合格分数线等）"),
    ("demo_office_gz", Role.OFFICE, "赣州市人社局 工作人员", "赣州工匠批次；全市申报"),
    ("demo_office_js", Role.OFFICE, "江苏省人社厅 工作人员", "卓越技师批次；全省申报"),
    ("demo_lead_js", Role.DISTRICT, "南京市人社局 培育计划市级负责人", "卓越技师培育：审核本市培训计划、审批请假、查看本市培育对象与满意度"),
    ("demo_district_nc", Role.DISTRICT, "东湖区总工会 初审", "只看到本区已提交的申报（看不到西湖区的）"),
    ("demo_district_gz", Role.DISTRICT, "章贡区人社局 初审", "只看到本区个人申报"),
    ("demo_expert", Role.EXPERT, "评审专家", "只看分配给自己的材料（尚无分配：看不到任何申报）"),
    ("demo_unit_nc", Role.UNIT, "南昌申报单位（东湖区）", "填写创新工作室申报、实时资格自查、上传材料、提交"),
    ("demo_unit_nc2", Role.UNIT, "南昌申报单位（西湖区）", "另一家单位：看不到别家的申报和材料"),
    ("demo_unit_zj", Role.UNIT, "镇江申报单位", "技能大师工作室入驻申报（附件1）"),
    ("demo_individual_gz", Role.INDIVIDUAL, "赣州个人申报人", "赣州工匠个人申报（职业资格等级、在赣州工作按人员库预填）"),
    ("demo_trainee_js", Role.TRAINEE, "江苏培育对象", "卓越技师培育：选择承训单位和专业、请假、提交研修报告、填写满意度调查"),
    ("demo_training_js", Role.TRAINING_UNIT, "江苏承训单位", "发布专业、配备指导教师、培训计划、考勤与学时导入、量化评定、经费支出"),
    ("demo_expert_js", Role.EXPERT, "江苏承训单位 评估专家", "评估本单位学员的研修报告（提交本人评分后才看到他人评分）"),
    ("demo_finance_nc", Role.FINANCE, "南昌市财政局 财务", "审批南昌市工匠学院、创新工作室的拨付批次（无申报编辑权限）"),
    ("demo_finance_zj", Role.FINANCE, "镇江市财政局 财务", "审批镇江创新园的拨付批次"),
    ("demo_finance_gz", Role.FINANCE, "赣州市财政局 财务", "审批“赣州工匠”奖励的拨付批次"),
    ("demo_finance_js", Role.FINANCE, "江苏省财政厅 财务", "审批卓越技师培育经费的拨付批次"),
    ("demo_sysadmin", Role.SYSTEM_ADMIN, "系统管理员", "用户管理；看不到任何业务数据"),
    ("demo_secadmin", Role.SECURITY_ADMIN, "安全管理员", "登录日志、锁定账号"),
    ("demo_auditadmin", Role.AUDIT_ADMIN, "审计管理员", "审计日志与哈希链校验"),
]


class Demo:
    def __init__(self, out: Any = None) -> None:
        self.rng = random.Random(SEED)
        self.out = out
        self.users: dict[str, User] = {}
        self.used_names: set[str] = set()
        self.password_hash = ""

    # ---- helpers ----
    def say(self, text: str) -> None:
        if self.out is not None:
            self.out.write(text)

    def name(self) -> str:
        while True:
            candidate = self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))
            if candidate not in self.used_names:
                self.used_names.add(candidate)
                return candidate

    def org(self, name: str, jurisdiction: str) -> Organisation:
        return Organisation.objects.get(name=name, jurisdiction=jurisdiction)

    def member(self, name: str, parent: Organisation, category: str, region_code: str, region: str = "") -> Organisation:
        from jiangxin.platform.orgs.services import create_organisation

        org: Organisation = create_organisation(
            name=name, level=Level.MEMBER, category=category, jurisdiction=parent.jurisdiction, parent=parent,
            credit_code=credit_code(self.rng, region_code), region=region or parent.region,
            contact_name=self.name(), contact_phone=f"1{self.rng.randrange(3, 9)}{self.rng.randrange(10**8, 10**9)}")
        return org

    def person(self, region: str, birth: dt.date, sex: str, employer: Organisation | None, skill: str,
               occupation: str, retirement: int | None = None) -> Any:
        from jiangxin.platform.people.services import register_person

        return register_person(
            name=self.name(), id_number=resident_id(self.rng, region, birth, sex), employer=employer,
            skill_level=skill, skill_occupation=occupation,
            original_retirement_age=retirement or (60 if sex == "male" else 55),
            phone=f"1{self.rng.randrange(3, 9)}{self.rng.randrange(10**8, 10**9)}")

    def user(self, username: str, role: str, org: Organisation | None, display: str, person: Any = None) -> User:
        from jiangxin.platform.accounts.services import create_user

        if not self.password_hash:
            from django.contrib.auth.hashers import make_password

            self.password_hash = make_password(DEMO_PASSWORD)  # hashed once: Argon2 is slow by design
        user, _ = create_user(username=username, role=role, organisation=org, display_name=display, person=person,
                              password=DEMO_PASSWORD, password_hash=self.password_hash)
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
        if role in ADMIN_ROLES:
            # administrators must use a second factor: the demo enrols an authenticator for them; its key and
            # the current code are printed by `demo_logins` / `demo_otp <username>`
            from django_otp.plugins.otp_totp.models import TOTPDevice

            TOTPDevice.objects.create(user=user, name="demo authenticator", confirmed=True)
        self.users[username] = user
        return user

    # ---- the story ----
    def run(self) -> bool:
        if User.objects.filter(username=MARKER_USERNAME).exists():
            self.say("演示数据已存在，未做任何改动。\n")
            return False
        with transaction.atomic():
            round_services.sync_programs()
            seed_org_tree()
            self.build()
        return True

    def build(self) -> None:
        from jiangxin.platform.people.services import add_honour

        nc = self.org("南昌市总工会", Jurisdiction.NANCHANG)
        donghu = self.org("东湖区总工会", Jurisdiction.NANCHANG)
        xihu = self.org("西湖区总工会", Jurisdiction.NANCHANG)
        qingshanhu = self.org("青山湖区总工会", Jurisdiction.NANCHANG)
        zj = self.org("镇江市人力资源和社会保障局", Jurisdiction.ZHENJIANG)
        park = self.org("镇江市技能大师产业创新园管理办公室", Jurisdiction.ZHENJIANG)
        gz = self.org("赣州市人力资源和社会保障局", Jurisdiction.GANZHOU)
        zhanggong = self.org("章贡区人力资源和社会保障局", Jurisdiction.GANZHOU)
        nankang = self.org("南康区人力资源和社会保障局", Jurisdiction.GANZHOU)
        js = self.org("江苏省人力资源和社会保障厅", Jurisdiction.JIANGSU)
        js_fin = self.org("江苏省财政厅", Jurisdiction.JIANGSU)
        nc_fin = self.org("南昌市财政局", Jurisdiction.NANCHANG)
        zj_fin = self.org("镇江市财政局", Jurisdiction.ZHENJIANG)
        gz_fin = self.org("赣州市财政局", Jurisdiction.GANZHOU)
        nanjing = self.org("南京市人力资源和社会保障局", Jurisdiction.JIANGSU)
        suzhou = self.org("苏州市人力资源和社会保障局", Jurisdiction.JIANGSU)

        # enterprises, colleges and training units (valid credit codes)
        nc_units = [self.member("南昌赣江精密机械有限公司", donghu, Category.ENTERPRISE, "360102", "东湖区"),
                    self.member("南昌洪都智能装备有限公司", xihu, Category.ENTERPRISE, "360103", "西湖区"),
                    self.member("南昌青山湖电子科技有限公司", qingshanhu, Category.ENTERPRISE, "360111", "青山湖区"),
                    self.member("南昌东湖汽车零部件有限公司", donghu, Category.ENTERPRISE, "360102", "东湖区"),
                    self.member("南昌西湖新材料有限公司", xihu, Category.ENTERPRISE, "360103", "西湖区"),
                    self.member("南昌东湖职业技术学院", donghu, Category.COLLEGE, "360102", "东湖区")]
        zj_units = [self.member("镇江金山焊接技术有限公司", park, Category.ENTERPRISE, "321102", "京口区"),
                    self.member("镇江北固精工有限公司", park, Category.ENTERPRISE, "321111", "润州区")]
        gz_units = [self.member("赣州稀土新材料有限公司", zhanggong, Category.ENTERPRISE, "360702", "章贡区"),
                    self.member("南康家具智造有限公司", nankang, Category.ENTERPRISE, "360703", "南康区")]
        js_units = [self.member("南京长江船舶重工有限公司", nanjing, Category.ENTERPRISE, "320100", "南京市"),
                    self.member("苏州工业园区精密制造有限公司", suzhou, Category.ENTERPRISE, "320500", "苏州市"),
                    self.member("南京技师学院（示例承训单位）", nanjing, Category.TRAINING_UNIT, "320100", "南京市")]

        # people (valid resident IDs from each jurisdiction's region codes) and honours
        skills = ["senior", "technician", "senior_technician", "master_technician"]
        people: dict[str, list[Any]] = {"nc": [], "zj": [], "gz": [], "js": []}
        for key, regions, employers in (("nc", ["360102", "360103", "360111", "360121"], nc_units),
                                        ("zj", ["321102", "321111", "321181"], zj_units),
                                        ("gz", ["360702", "360703", "360704"], gz_units),
                                        ("js", ["320102", "320505", "321102", "320211"], js_units)):
            for i in range(6):
                sex = "male" if self.rng.random() < 0.6 else "female"
                birth = dt.date(self.rng.randrange(1970, 1992), self.rng.randrange(1, 13), self.rng.randrange(1, 29))
                people[key].append(self.person(self.rng.choice(regions), birth, sex, employers[i % len(employers)],
                                               skills[self.rng.randrange(len(skills))],
                                               self.rng.choice(["数控车工", "焊工", "电工", "钳工", "汽车维修工"])))
        add_honour(people["nc"][0], kind="hongcheng_craftsman", awarded_on=dt.date(2023, 4, 28), issuer="南昌市总工会")
        add_honour(people["nc"][0], kind="model_worker", level="county", awarded_on=dt.date(2021, 4, 30))
        add_honour(people["nc"][1], kind="may_day_medal", level="city", awarded_on=dt.date(2022, 4, 29))
        add_honour(people["gz"][0], kind="talent_catalogue", level="E", awarded_on=dt.date(2024, 6, 1))
        # the two applicants who log in: their records fit their program's example case
        gz_applicant = self.person("360702", dt.date(1983, 3, 15), "male", gz_units[0], "technician", "数控车工")
        js_trainee = self.person("320102", dt.date(1978, 5, 12), "female", js_units[0], "technician", "焊工", 55)

        # one login per role
        self.user("demo_office_nc", Role.OFFICE, nc, "南昌市总工会 经办人")
        self.user("demo_office_zj", Role.OFFICE, zj, "镇江市人社局 经办人")
        self.user("demo_park_zj", Role.PARK_OFFICE, park, "创新园管理办公室 经办人")
        self.user("demo_office_gz", Role.OFFICE, gz, "赣州市人社局 经办人")
        self.user("demo_office_js", Role.OFFICE, js, "江苏省人社厅 经办人")
        self.user("demo_district_nc", Role.DISTRICT, donghu, "东湖区总工会 初审员")
        self.user("demo_district_gz", Role.DISTRICT, zhanggong, "章贡区人社局 初审员")
        self.user("demo_expert", Role.EXPERT, nc, "评审专家")
        self.user("demo_unit_nc", Role.UNIT, nc_units[0], "赣江精密 工会干事")
        self.user("demo_unit_nc2", Role.UNIT, nc_units[1], "洪都智能 工会干事")
        for i, unit in enumerate(nc_units[2:5], start=3):
            self.user(f"demo_unit_nc{i}", Role.UNIT, unit, f"{unit.name[:6]} 工会干事")
        self.user("demo_unit_zj", Role.UNIT, zj_units[0], "金山焊接 经办人")
        self.user("demo_unit_zj2", Role.UNIT, zj_units[1], "北固精工 经办人")
        self.user("demo_individual_gz", Role.INDIVIDUAL, zhanggong, gz_applicant.name, gz_applicant)
        self.user("demo_trainee_js", Role.TRAINEE, nanjing, js_trainee.name, js_trainee)
        extra_gz = [self.user(f"demo_individual_gz{i}", Role.INDIVIDUAL, zhanggong if i % 2 else nankang,
                              p.name, p) for i, p in enumerate(people["gz"][1:4], start=2)]
        self.user("demo_training_js", Role.TRAINING_UNIT, js_units[2], "承训单位 联络员")
        self.user("demo_finance_nc", Role.FINANCE, nc_fin, "南昌市财政局 财务")
        self.user("demo_finance_zj", Role.FINANCE, zj_fin, "镇江市财政局 财务")
        self.user("demo_finance_gz", Role.FINANCE, gz_fin, "赣州市财政局 财务")
        self.user("demo_finance_js", Role.FINANCE, js_fin, "省财政厅 财务")
        self.user("demo_sysadmin", Role.SYSTEM_ADMIN, None, "演示系统管理员")
        self.user("demo_secadmin", Role.SECURITY_ADMIN, None, "演示安全管理员")
        self.user("demo_auditadmin", Role.AUDIT_ADMIN, None, "演示审计管理员")

        # 2026 rounds for each program
        today = timezone.localdate()
        closes = max(dt.date(YEAR, 12, 31), today + dt.timedelta(days=30))
        due = closes + dt.timedelta(days=15)
        opens = min(dt.date(YEAR, 11, 1), today)
        programs = {p.key: p for p in Program.objects.all()}
        rounds: dict[str, Round] = {}
        spec = [
            ("nanchang_academy", "demo_office_nc", "2026年南昌市工匠学院命名申报", None, "洪工字〔2026〕（示例）", {}),
            ("nanchang_studio", "demo_office_nc", "2026年南昌市示范性创新工作室申报", 10, "洪工字〔2026〕（示例）",
             {"naming_annual_quota": 10, "naming_shortlist_mark": 80}),
            ("zhenjiang_park", "demo_park_zj", "2026年技能大师工作室入驻申报", None, "镇人社〔2026〕（示例）",
             {"evaluation_pass_mark": 120}),
            ("ganzhou_craftsman", "demo_office_gz", "2026年度“赣州工匠”申报", 15, "赣人社字〔2026〕（示例）", {}),
            ("jiangsu_technician", "demo_office_js", "2026年江苏省卓越技师培育计划", 100, "苏人社〔2026〕（示例）", {}),
        ]
        for key, username, title, quota, ref, params in spec:
            rnd = round_services.create_round(
                self.users[username], programs[key], year=YEAR, title=title, opens=opens, closes=closes,
                district_review_due=due, quota=quota, notice_reference=ref, office_parameters=params)
            rounds[key] = round_services.open_round(self.users[username], rnd)
        draft = round_services.create_round(
            self.users["demo_office_nc"], programs["nanchang_studio"], year=YEAR + 1,
            title="2027年南昌市示范性创新工作室申报（草稿）", opens=dt.date(YEAR + 1, 9, 1),
            closes=dt.date(YEAR + 1, 10, 31), notice_reference="")
        self.say(f"批次：{len(rounds) + 1} 个（含 1 个草稿：{draft.title}）\n")

        # applications in every stage
        studio = rounds["nanchang_studio"]
        example = self.example("nanchang_studio")
        sub = self.apply(studio, "demo_unit_nc", example, {
            "studio_name": "赣江精密焊接创新工作室", "leader_name": people["nc"][0].name,
            "members": "\n".join(p.name for p in people["nc"][1:4]), "introduction": "聚焦焊缝检测与工艺改进。"},
            evidence=[("c1", "领衔人荣誉证书.pdf"), ("c4", "专利证书.pdf")])
        self.apply(studio, "demo_unit_nc2", {**example, "has_dedicated_funds": False, "party_admin_approved": False},
                   {"studio_name": "洪都智能装配创新工作室", "leader_name": people["nc"][1].name},
                   submit=False)  # draft with failures: the live check lists both
        returned = self.apply(studio, "demo_unit_nc3", example, {
            "studio_name": "青山湖电子创新工作室", "leader_name": people["nc"][2].name, "introduction": "示例。"})
        app_services.return_for_changes(self.users["demo_office_nc"], returned, "请补充近两年课题清单。")
        withdrawn = self.apply(studio, "demo_unit_nc4", example, {
            "studio_name": "东湖汽车零部件创新工作室", "leader_name": people["nc"][3].name, "introduction": "示例。"})
        app_services.withdraw(self.users["demo_unit_nc4"], withdrawn)
        recommended = self.apply(studio, "demo_unit_nc5", example, {
            "studio_name": "西湖新材料创新工作室", "leader_name": people["nc"][4].name, "introduction": "示例。"})
        app_services.record_district_result(self.users["demo_office_nc"], recommended, True, "初审通过")
        del sub

        park_example = self.example("zhenjiang_park")
        self.apply(rounds["zhenjiang_park"], "demo_unit_zj", park_example, {
            "studio_name": "金山焊接技能大师工作室", "leader_name": people["zj"][0].name,
            "members": "\n".join(f"{p.name} 焊工 高级工" for p in people["zj"][1:3]),
            "introduction": "专注压力容器焊接。", "work_plan": "入园后三年培养高技能人才30名。",
            "employer_recommendation": "同意推荐。"}, evidence=[("leader", "绝技绝活证明.pdf")])
        self.apply(rounds["zhenjiang_park"], "demo_unit_zj2", park_example,
                   {"studio_name": "北固精工钳工工作室", "leader_name": people["zj"][1].name}, submit=False)

        gz_example = self.example("ganzhou_craftsman")
        self.apply(rounds["ganzhou_craftsman"], "demo_individual_gz2", gz_example,
                   {"occupation": "数控车工", "achievements": "主持完成关键工艺攻关。"})
        rejected = self.apply(rounds["ganzhou_craftsman"], "demo_individual_gz3", gz_example,
                              {"occupation": "焊工", "achievements": "示例。"})
        if rejected.status == "submitted":
            reviewer = self.users["demo_office_gz"]
            app_services.record_district_result(reviewer, rejected, False, "业绩材料不足")
        self.apply(rounds["ganzhou_craftsman"], "demo_individual_gz4", gz_example, {"occupation": "电工"},
                   submit=False)
        del extra_gz
        self.say(f"申报：{Application.objects.count()} 份\n")

    def example(self, program: str) -> dict[str, Any]:
        comp = app_services.eligibility_computation(program)
        if comp is None:
            return {}
        data = dict(comp.example.get("facts", comp.example) if "facts" in comp.example else comp.example)
        data.pop("as_of", None)
        return data

    def apply(self, rnd: Round, username: str, facts: dict[str, Any], details: dict[str, Any], *,
              evidence: list[tuple[str, str]] | None = None, submit: bool = True) -> Application:
        user = self.users[username]
        app = app_services.create_application(user, rnd)
        merged = {**facts, **{k: v for k, v in app.facts.items() if k in facts or not facts}}
        app = app_services.save_draft(user, app, merged, {**app.details, **details})
        for condition, filename in evidence or []:
            app_services.add_evidence(user, app, SimpleUploadedFile(filename, demo_pdf(filename)), condition)
        if submit:
            try:
                app = app_services.submit(user, app)
            except app_services.ApplicationError as exc:
                self.say(f"  {app.title}：保持草稿（{exc}）\n")
        return app
