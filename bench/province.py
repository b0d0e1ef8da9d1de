"""Province-scale data set (not a test): `.venv/bin/python bench/province.py [--scale 1.0]`.

Builds, on a DEDICATED PostgreSQL database (default ``postgres://postgres@127.0.0.1:5432/jiangxin_province``;
the ``postgres`` database is refused), with the product's models and seeded randomness (the same scale and seed
give the same rows):

* the standard organisation tree and programs (``seed_org_tree``, ``sync_programs``), then 20,000 member
  organisations under the district bodies of the four jurisdictions (valid credit codes);
* 1,000,000 people (valid GB 11643 numbers, encrypted and hashed as ``register_person`` does);
* staff accounts with a known password (``STAFF`` below; roles without a second factor), one unit account per
  member organisation and individual accounts for individual programs;
* 20 rounds (5 programs × 2023–2026) and 100,000 applications in every state;
* 2,000,000 trainee records in the academies' trainee database;
* 100,000 designations across the five programs, with their directory entries, and for the three paying
  programs the yearly runs 2023–2026 (``ledger.services.yearly_run``, commit) over published assessment
  results (about 1 in 20 fails): ledger entries, markers, sanctions, status changes and their audit records.

Rows are written with COPY (``core.bulk.insert``) or ``bulk_create`` — never one ``save()`` per row — and
without an audit record per row (a data set, not a history). The keys below are fixed so the load test's
server (bench/load.py) reads the same ID numbers and audit chain. ``--scale 0.01`` builds 1 % of every count.
Timings per step go to bench/results/province.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

import dedicated_db  # bench/ is the script's directory

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/jiangxin_province"
SEED = 20261207
#: the fixed keys of the bench database (never used anywhere else)
KEYS = {"SECRET_KEY": "bench-province-secret-key-not-for-production-0123456789",
        "JIANGXIN_FIELD_KEY": "YmVuY2gtcHJvdmluY2UtZmllbGQta2V5LTAxMjM0NTY=",
        "JIANGXIN_AUDIT_KEY": "bench-province-audit-key"}
PASSWORD = "Bench#Province2026"
#: (username, role, organisation name) — the accounts the load test signs in with
STAFF = [("bench_office_nc", "office", "南昌市总工会"), ("bench_district_nc", "district", "东湖区总工会"),
         ("bench_finance_nc", "finance", "南昌市财政局"), ("bench_office_gz", "office", "赣州市人力资源和社会保障局"),
         ("bench_district_gz", "district", "章贡区人力资源和社会保障局"),
         ("bench_office_js", "office", "江苏省人力资源和社会保障厅")]
COUNTS = {"organisations": 20_000, "people": 1_000_000, "applications": 100_000, "trainees": 2_000_000,
          "designations": 100_000}
#: share of the member organisations and the region code of each jurisdiction
JURISDICTIONS = {"nanchang": (0.5, "360100"), "zhenjiang": (0.15, "321100"), "ganzhou": (0.15, "360700"),
                 "jiangsu": (0.2, "320100")}
#: designations per program (share) and their kind
DESIGNATIONS = {"nanchang_academy": (0.4, "named"), "nanchang_studio": (0.3, "named"),
                "ganzhou_craftsman": (0.15, "title"), "zhenjiang_park": (0.05, "admitted"),
                "jiangsu_technician": (0.1, "cohort")}
PAYING = ("nanchang_academy", "nanchang_studio", "ganzhou_craftsman")
YEARS = tuple(range(2023, 2027))
APPLICATION_STATES = (("draft", 15), ("submitted", 30), ("returned", 5), ("withdrawn", 5), ("recommended", 25),
                      ("rejected", 20))
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢钟姜崔谭陆范汪"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红梅志文斌海燕宏亮晓东春雷"
MAJORS = ("焊工", "电工", "钳工", "数控车工", "汽车维修工", "装配钳工", "化工总控工", "中式烹调师")
SKILLS = ("", "junior", "intermediate", "senior", "technician", "senior_technician")


def configure(url: str) -> None:
    dedicated_db.ensure(url)
    os.environ["DATABASE_URL"] = url
    os.environ.update(KEYS)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiangxin.platform.settings")
    os.environ.setdefault("DEBUG", "1")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


class Builder:
    def __init__(self, scale: float, seed: int) -> None:
        self.rng = random.Random(seed)
        self.n = {k: max(1, int(v * scale)) for k, v in COUNTS.items()}
        self.timings: dict[str, float] = {}

    def step(self, name: str, fn: Any) -> Any:
        t0 = time.perf_counter()
        out = fn()
        self.timings[name] = round(time.perf_counter() - t0, 2)
        print(f"{name}: {self.timings[name]} s", flush=True)
        return out

    # --- schema ---------------------------------------------------------------------------------------------
    def reset(self) -> None:
        from django.core.management import call_command
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        call_command("migrate", verbosity=0)
        from jiangxin.platform.orgs.seed import seed_org_tree
        from jiangxin.platform.rounds.services import sync_programs

        sync_programs()
        seed_org_tree()

    # --- organisations --------------------------------------------------------------------------------------
    def organisations(self) -> None:
        from django.db import connection
        from stdnum.cn import uscc

        from jiangxin.platform.core.demo_fixtures import _org_code_check
        from jiangxin.platform.orgs.models import Organisation

        districts: dict[str, list[Organisation]] = {}
        for org in Organisation.objects.filter(level="district"):
            districts.setdefault(org.jurisdiction, []).append(org)
        rows = []
        categories = ("enterprise", "enterprise", "enterprise", "college", "training_unit")
        total = self.n["organisations"]
        i = 0
        for jurisdiction, (share, region) in JURISDICTIONS.items():
            parents = districts[jurisdiction]
            for k in range(max(1, int(total * share))):
                body = f"{i:08d}"
                first17 = f"91{region}{body}{_org_code_check(body)}"
                category = categories[k % len(categories)]
                parent = parents[k % len(parents)]
                suffix = {"college": "职业技术学院", "training_unit": "培训中心"}.get(category, "有限公司")
                rows.append(Organisation(
                    name=f"{parent.region or parent.name[:4]}{self.rng.choice(SURNAMES)}{self.rng.choice(GIVEN)}{suffix}{i:05d}",
                    level="member", category=category, jurisdiction=jurisdiction, parent=parent,
                    credit_code=first17 + uscc.calc_check_digit(first17), region=parent.region,
                    contact_name=self.name(), contact_phone=f"139{i:08d}"))
                i += 1
        Organisation.objects.bulk_create(rows, batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE orgs_organisation o SET path = p.path || o.id || '/' FROM orgs_organisation p "
                           "WHERE o.parent_id = p.id AND o.path = ''")

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))

    # --- people ---------------------------------------------------------------------------------------------
    def people(self) -> None:
        from stdnum.cn import ric

        from jiangxin.platform.core.bulk import insert
        from jiangxin.platform.orgs.models import Organisation
        from jiangxin.platform.people.crypto import get_cipher, id_hash
        from jiangxin.policy.identity import mask_resident_id

        employers = list(Organisation.objects.filter(level="member").values_list("id", "jurisdiction"))
        regions = {j: r for j, (_s, r) in JURISDICTIONS.items()}
        encrypt = get_cipher().encrypt
        now = dt.datetime.now(dt.UTC)
        rows = []
        self.person_hashes: list[tuple[str, str, str, dt.date, str]] = []
        for i in range(self.n["people"]):
            employer, jurisdiction = employers[i % len(employers)]
            birth = dt.date(1965, 1, 1) + dt.timedelta(days=(i // 1000) * 13 + i % 7)
            seq = i % 1000
            first17 = f"{regions[jurisdiction][:4]}{(i // 7) % 90 + 2:02d}{birth:%Y%m%d}{seq:03d}"
            number = first17 + ric.calc_check_digit(first17 + "0")
            sex = "male" if seq % 2 else "female"
            name = self.name()
            digest, mask = id_hash(number), mask_resident_id(number)
            if i < self.n["trainees"]:
                self.person_hashes.append((name, digest, mask, birth, sex))
            rows.append({"name": name, "sex": sex, "birth_date": birth, "id_cipher": encrypt(number),
                         "id_hash": digest, "id_mask": mask, "employer_id": employer,
                         "skill_level": SKILLS[i % len(SKILLS)], "skill_occupation": MAJORS[i % len(MAJORS)],
                         "original_retirement_age": 60 if sex == "male" else 55, "phone": f"138{i:08d}",
                         "created_at": now, "updated_at": now})
            if len(rows) == 50_000:
                insert(_model("people.Person"), rows)
                rows = []
        insert(_model("people.Person"), rows)

    # --- accounts -------------------------------------------------------------------------------------------
    def accounts(self) -> None:
        from django.contrib.auth.hashers import make_password

        from jiangxin.platform.accounts.models import User
        from jiangxin.platform.orgs.models import Organisation
        from jiangxin.platform.people.models import Person

        password = make_password(PASSWORD)  # hashed once: Argon2 is slow by design
        common = {"password": password, "must_change_password": False, "is_active": True}
        users = [User(username=u, role=role, organisation=Organisation.objects.get(name=org), display_name=u,
                      **common) for u, role, org in STAFF]
        users += [User(username=f"unit{org_id:06d}", role="unit", organisation_id=org_id, **common)
                  for org_id in Organisation.objects.filter(level="member").values_list("id", flat=True)]
        people = list(Person.objects.order_by("id").values_list("id", "employer_id")[:self.n["organisations"]])
        users += [User(username=f"ind{pid:08d}", role="individual", person_id=pid, organisation_id=emp, **common)
                  for pid, emp in people]
        User.objects.bulk_create(users, batch_size=5000)

    # --- rounds and applications ----------------------------------------------------------------------------
    def applications(self) -> None:
        from jiangxin.platform.accounts.models import User
        from jiangxin.platform.core.bulk import insert
        from jiangxin.platform.orgs.models import Organisation
        from jiangxin.platform.rounds.models import Program, Round

        authorities = {o.jurisdiction: o for o in Organisation.objects.filter(level="authority")
                       .exclude(category="finance")}
        rounds = []
        for program in Program.objects.order_by("key"):
            for year in YEARS:
                rounds.append(Round(program=program, year=year, title=f"{year}年度{program.title}申报",
                                    organiser=authorities[program.jurisdiction], opens=dt.date(year, 3, 1),
                                    closes=dt.date(year, 5, 31), district_review_due=dt.date(year, 6, 30),
                                    notice_reference=f"基准〔{year}〕{program.pk}号",
                                    status="open" if year == YEARS[-1] else "closed"))
        Round.objects.bulk_create(rounds)
        units: dict[str, list[tuple[int, int]]] = {}
        for uid, org_id, jurisdiction in User.objects.filter(role="unit").values_list(
                "id", "organisation_id", "organisation__jurisdiction"):
            units.setdefault(jurisdiction, []).append((uid, org_id))
        individuals: dict[str, list[tuple[int, int, int]]] = {}
        for uid, pid, org_id, jurisdiction in User.objects.filter(role="individual").values_list(
                "id", "person_id", "organisation_id", "organisation__jurisdiction"):
            individuals.setdefault(jurisdiction, []).append((uid, pid, org_id))
        states = [s for s, weight in APPLICATION_STATES for _ in range(weight)]
        now = dt.datetime.now(dt.UTC)
        rows = []
        pools = [(individuals if r.program.applicant_kind == "individual" else units)[r.program.jurisdiction]
                 for r in rounds]
        # as many per round as the round's applicants allow (one active application each), the rest spread
        # over the rounds that have applicants left
        quota = [0] * len(rounds)
        left = self.n["applications"]
        while left > 0:
            open_rounds = [i for i in range(len(rounds)) if quota[i] < len(pools[i])]
            if not open_rounds:
                break
            share = max(1, left // len(open_rounds))
            for i in open_rounds:
                add = min(share, len(pools[i]) - quota[i], left)
                quota[i] += add
                left -= add
        for r, pool, count in zip(rounds, pools, quota, strict=True):
            individual = r.program.applicant_kind == "individual"
            start = self.rng.randrange(len(pool))
            for k in range(count):
                entry = pool[(start + k) % len(pool)]
                status = states[(k * 7 + r.year) % len(states)] if r.status == "closed" or k % 3 else "draft"
                submitted = status not in ("draft",)
                eligible = "eligible" if k % 10 else "ineligible"
                rows.append({
                    "round_id": r.pk, "kind": "individual" if individual else "unit",
                    "title": f"{r.title}（{k:05d}）", "applicant_org_id": entry[2] if individual else entry[1],
                    "applicant_person_id": entry[1] if individual else None, "applicant_user_id": entry[0],
                    "status": status, "facts": {}, "details": {}, "eligibility": None,
                    "eligibility_status": eligible if submitted else "", "eligibility_checked_at": None,
                    "submitted_at": dt.datetime(r.year, 5, 1 + k % 28, 9, tzinfo=dt.UTC) if submitted else None,
                    "status_note": "", "created_at": now, "updated_at": now})
        insert(_model("applications.Application"), rows)

    # --- trainees -------------------------------------------------------------------------------------------
    def trainees(self) -> None:
        from jiangxin.platform.core.bulk import insert
        from jiangxin.platform.orgs.models import Organisation

        academies = list(Organisation.objects.filter(level="member", category="college")
                         .values_list("id", flat=True))
        levels = ("", "apprentice", "junior", "intermediate", "senior", "technician")
        people = self.person_hashes
        rows = []
        for i in range(self.n["trainees"]):
            name, digest, mask, birth, sex = people[i % len(people)]
            start = dt.date(2021, 1, 1) + dt.timedelta(days=(i * 37) % 2000)
            before = i % 4
            after = before + (i % 3)
            rows.append({"academy_id": academies[i % len(academies)], "import_job_id": None, "name": name,
                         "id_hash": digest, "id_mask": mask, "birth_date": birth, "sex": sex,
                         "major": MAJORS[i % len(MAJORS)], "session_code": f"S{i // 50:07d}", "start_date": start,
                         "end_date": start + dt.timedelta(days=20), "level_before": levels[before],
                         "level_after": levels[min(after, len(levels) - 1)], "upgraded": after > before,
                         "migrant_worker": i % 7 == 0, "unemployed_graduate": i % 13 == 0,
                         "hardship_worker": i % 11 == 0})
            if len(rows) == 100_000:
                insert(_model("academy.Trainee"), rows)
                rows = []
        insert(_model("academy.Trainee"), rows)

    # --- designations, directory, yearly runs ---------------------------------------------------------------
    def designations(self) -> None:
        from jiangxin.platform.core.bulk import insert
        from jiangxin.platform.core.masking import mask_name
        from jiangxin.platform.designations.base import _facts
        from jiangxin.platform.orgs.models import Organisation
        from jiangxin.platform.people.models import Person

        members: dict[str, list[tuple[int, str]]] = {}
        for oid, jurisdiction, name in Organisation.objects.filter(level="member").values_list(
                "id", "jurisdiction", "name"):
            members.setdefault(jurisdiction, []).append((oid, name))
        jurisdiction_of = {"nanchang_academy": "nanchang", "nanchang_studio": "nanchang",
                           "ganzhou_craftsman": "ganzhou", "zhenjiang_park": "zhenjiang", "jiangsu_technician": "jiangsu"}
        now = dt.datetime.now(dt.UTC)
        rows, listings = [], []
        person_ids = iter(Person.objects.order_by("-id").values_list("id", "name", "employer_id")
                          [:self.n["designations"]])
        for program, (share, kind) in DESIGNATIONS.items():
            pool = members[jurisdiction_of[program]]
            individual = program in ("ganzhou_craftsman", "jiangsu_technician")
            for k in range(max(1, int(self.n["designations"] * share))):
                year = YEARS[:-1][k % (len(YEARS) - 1)]
                org_id, org_name = pool[k % len(pool)]
                person = next(person_ids) if individual else None
                name = f"{person[1]}" if person else f"{org_name}{'工匠学院' if program == 'nanchang_academy' else '创新工作室'}{k:06d}"
                scope = person[2] if person and person[2] else org_id
                rows.append({"program": program, "kind": kind, "name": name[:200],
                             "holder_org_id": None if person else org_id,
                             "holder_person_id": person[0] if person else None, "scope_org_id": scope,
                             "case_id": None, "year": year, "designated_on": dt.date(year, 6, 1),
                             "certificate_no": f"{program.upper()}-{year}-{k:06d}", "status": "active",
                             "status_reason": "", "status_citation": "", "status_changed_on": None,
                             "ends_on": dt.date(year + 3, 5, 31) if individual else None, "ends_outcome": None,
                             "leader_person_id": None, "created_at": now, "updated_at": now})
                if _facts(program).listing:
                    listings.append({"kind": _facts(program).listing, "source_key": f"{program}:bench:{k}",
                                     "name": name[:200], "organisation_id": scope, "status": "有效",
                                     "since": dt.date(year, 6, 1), "until": None,
                                     "masked_person": mask_name(person[1]) if person else "",
                                     "summary": f"证书编号 {program.upper()}-{year}-{k:06d}", "program": program,
                                     "published": True, "updated_at": now})
        insert(_model("designations.Designation"), rows)
        insert(_model("portal.PublicListing"), listings)

    def yearly_runs(self) -> dict[str, Any]:
        from jiangxin.platform.assessments.models import Assessment, AssessmentRound
        from jiangxin.platform.core.bulk import insert
        from jiangxin.platform.designations.models import Designation
        from jiangxin.platform.ledger import services
        from jiangxin.platform.orgs.models import Organisation
        from jiangxin.platform.rounds.models import Program

        runs: dict[str, Any] = {}
        for program in PAYING:
            prog = Program.objects.get(key=program)
            organiser = Organisation.objects.filter(level="authority", jurisdiction=prog.jurisdiction).exclude(
                category="finance").first()
            named = list(Designation.objects.filter(program=program).order_by("id").values_list("id", "year"))
            for year in YEARS:
                if program != "ganzhou_craftsman":
                    rnd = AssessmentRound.objects.create(program=prog, year=year, organiser=organiser,
                                                         opens=dt.date(year, 11, 1),
                                                         self_report_due=dt.date(year, 11, 30), status="published")
                    insert(Assessment, [Assessment(round=rnd, designation_id=d, status="published",
                                                   passed=(k * 7919 + year) % 20 != 0,
                                                   total=90 if (k * 7919 + year) % 20 else 70)
                                        for k, (d, y) in enumerate(named) if y < year])
                t0 = time.perf_counter()
                report = services.yearly_run(program, year, actor=None, commit=True, on=dt.date(year, 12, 20))
                runs[f"{program} {year}"] = {"designations": report.designations, "counts": report.counts,
                                             "seconds": round(time.perf_counter() - t0, 2)}
                print(f"  yearly run {program} {year}: {runs[f'{program} {year}']}", flush=True)
        return runs

    def analyse(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _model(label: str) -> Any:
    from django.apps import apps

    return apps.get_model(label)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    args = parser.parse_args()
    configure(args.database_url)
    b = Builder(args.scale, args.seed)
    started = time.perf_counter()
    b.step("schema", b.reset)
    b.step("organisations", b.organisations)
    b.step("people", b.people)
    b.step("accounts", b.accounts)
    b.step("applications", b.applications)
    b.step("trainees", b.trainees)
    b.step("designations", b.designations)
    runs = b.step("yearly_runs", b.yearly_runs)
    b.step("analyse", b.analyse)
    total = round(time.perf_counter() - started, 1)
    from django.apps import apps

    counts = {label: apps.get_model(label).objects.count() for label in (
        "orgs.Organisation", "people.Person", "accounts.User", "rounds.Round", "applications.Application",
        "academy.Trainee", "designations.Designation", "ledger.LedgerEntry", "ledger.YearApplied",
        "audit.AuditEvent", "portal.PublicListing")}
    result = {"scale": args.scale, "seed": args.seed, "database": "postgresql", "total_seconds": total,
              "target": "full scale (scale 1.0) in under 20 minutes", "steps_seconds": b.timings,
              "rows": counts, "yearly_runs": runs, "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
              "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "province.json" if args.scale == 1.0 else f"province_scale_{args.scale:g}.json"
    (RESULTS / name).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
