"""REST API v1 (django-ninja). Token authentication: ``Authorization: Bearer <token>``.

Every business query goes through the one scoping function (orgs.scope.scope) via the app services.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError
from ninja.openapi.docs import Swagger
from ninja.security import HttpBearer

from jiangxin.platform.api.outcome_json import outcome_json
from jiangxin.platform.api.services import authenticate
from jiangxin.platform.applications.services import visible_applications
from jiangxin.platform.core.paginate import PAGE_SIZE
from jiangxin.platform.rounds.models import Program
from jiangxin.platform.rounds.services import visible_rounds
from jiangxin.policy.errors import FactsError, PolicyError

#: bounds of integer parameters (ids fit a 32-bit key on every database; offsets beyond any real table)
MAX_ID = 2_147_483_647
MAX_OFFSET = 1_000_000_000


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="匠心 Jiangxin API", version="1", urls_namespace="api:v1", auth=TokenAuth(),
    description="规则计算与申报数据接口。认证：在请求头加 `Authorization: Bearer <令牌>`（在“API 令牌”页面创建）。",
    docs_url="/docs",
    # Swagger UI from ninja's own static files (ninja is in INSTALLED_APPS): nothing from a CDN; no online
    # validator badge either.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)


class Problem(Schema):
    field: str
    expected: str


class FactsProblems(Schema):
    error: str
    problems: list[Problem]


class ErrorOut(Schema):
    error: str


class ProgramOut(Schema):
    key: str
    title: str
    document: str
    jurisdiction: str
    applicant_kind: str
    computations: list[str]


class RoundOut(Schema):
    id: int
    program: str
    year: int
    title: str
    organiser: str
    opens: str
    closes: str
    district_review_due: str | None
    quota: int | None
    status: str
    notice_reference: str
    office_parameters: dict[str, Any]


class ApplicationOut(Schema):
    id: int
    round: int
    program: str
    title: str
    kind: str
    status: str
    applicant_org: str | None
    applicant_person: str | None
    submitted_at: str | None
    eligibility_status: str


class ApplicationDetailOut(ApplicationOut):
    facts: dict[str, Any]
    details: dict[str, Any]
    eligibility: dict[str, Any] | None
    evidence: list[dict[str, Any]]


@api.post("/rules/{program}/{computation}", response={200: dict[str, Any], 404: ErrorOut, 422: FactsProblems},
          summary="运行规则计算（与命令行 jiangxin rules 相同）", tags=["rules"])
def run_rule(request: HttpRequest, program: str, computation: str) -> Any:
    """Body: the facts JSON, or ``{"facts": {...}, "parameters": {...}, "reference": "..."}`` when the
    office sets parameters the document leaves open. Returns the Outcome (value, status, failures, trace)."""
    import json

    from jiangxin.policy.registry import COMPUTATIONS, all_computations

    all_computations()
    comp = COMPUTATIONS.get((program, computation))
    if comp is None:
        return 404, {"error": f"unknown computation {program}/{computation}"}
    try:
        body = json.loads(request.body or b"null")
    except RecursionError:
        return 422, {"error": "invalid facts", "problems": [{"field": "(input)", "expected": "JSON nested less deeply"}]}
    except ValueError as exc:
        return 422, {"error": "invalid facts", "problems": [{"field": "(input)", "expected": f"valid JSON ({exc})"}]}
    overrides: dict[str, Any] | None = None
    reference = ""
    if isinstance(body, dict) and "facts" in body and set(body) <= {"facts", "parameters", "reference"}:
        overrides = body.get("parameters") or None
        reference = str(body.get("reference") or "")
        body = body["facts"]
    try:
        outcome = comp.run(body, overrides, reference)
    except FactsError as exc:
        return 422, {"error": "invalid facts", "problems": [{"field": f, "expected": e} for f, e in exc.problems]}
    except PolicyError as exc:
        return 422, {"error": "invalid facts", "problems": [{"field": "(input)", "expected": str(exc)}]}
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ArithmeticError, RecursionError) as exc:
        # facts of the wrong shape that the computation's own checks did not name: still the caller's input
        return 422, {"error": "invalid facts", "problems": [{"field": "(input)",
                                                              "expected": f"facts of the documented shape ({exc.__class__.__name__})"}]}
    # the outcome's JSON written directly (outcome_json: the same data as to_dict, many times faster)
    return HttpResponse(outcome_json(outcome), content_type="application/json")


@api.get("/programs", response=list[ProgramOut], summary="项目列表", tags=["programs"])
def list_programs(request: HttpRequest) -> Any:
    from jiangxin.policy.registry import all_computations

    names: dict[str, list[str]] = {}
    for c in all_computations():
        names.setdefault(c.program.key, []).append(c.name)
    return [{"key": p.key, "title": p.title, "document": p.document, "jurisdiction": p.jurisdiction,
             "applicant_kind": p.applicant_kind, "computations": names.get(p.key, [])}
            for p in Program.objects.all()]


@api.get("/programs/{key}/parameters", response={200: list[dict[str, Any]], 404: ErrorOut},
         summary="项目参数（含生效日期与依据）", tags=["programs"])
def program_parameters(request: HttpRequest, key: str) -> Any:
    from jiangxin.policy.registry import PROGRAMS, all_computations

    all_computations()
    if key not in PROGRAMS:
        return 404, {"error": f"unknown program {key}"}
    return 200, PROGRAMS[key].parameters().describe()


def _round(r: Any) -> dict[str, Any]:
    return {"id": r.pk, "program": r.program.key, "year": r.year, "title": r.title, "organiser": str(r.organiser),
            "opens": r.opens.isoformat(), "closes": r.closes.isoformat(),
            "district_review_due": r.district_review_due.isoformat() if r.district_review_due else None,
            "quota": r.quota, "status": r.status, "notice_reference": r.notice_reference,
            "office_parameters": r.office_parameters or {}}


@api.get("/rounds", response=list[RoundOut], summary="申报批次（按权限）", tags=["rounds"])
def list_rounds(request: HttpRequest) -> Any:
    return [_round(r) for r in visible_rounds(request.auth)]  # type: ignore[attr-defined]  # set by django-ninja


def _application(a: Any) -> dict[str, Any]:
    return {"id": a.pk, "round": a.round_id, "program": a.round.program.key, "title": a.title, "kind": a.kind,
            "status": a.status, "applicant_org": str(a.applicant_org) if a.applicant_org else None,
            "applicant_person": a.applicant_person.name if a.applicant_person else None,
            "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
            "eligibility_status": a.eligibility_status}


@api.get("/applications", response=list[ApplicationOut], summary="申报（按数据权限）", tags=["applications"])
def list_applications(request: HttpRequest, status: str = Query("", max_length=40, pattern=r"^[a-z_]*$"),
                      limit: int = Query(PAGE_SIZE, ge=1, le=PAGE_SIZE),
                      offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> Any:
    """A page of at most 50 applications: ``limit`` 1–50 (default 50), ``offset`` 0–10⁹; anything else is
    answered 422 (never a server error). The next page: ``offset`` + ``limit`` until fewer rows come back."""
    qs = visible_applications(request.auth).defer("facts", "details", "eligibility")  # type: ignore[attr-defined]  # ninja
    if status:
        qs = qs.filter(status=status)
    return [_application(a) for a in qs.order_by("id")[offset:offset + limit]]


@api.get("/applications/{app_id}", response={200: ApplicationDetailOut, 404: ErrorOut},
         summary="申报详情（按数据权限）", tags=["applications"])
def get_application(request: HttpRequest, app_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    qs = visible_applications(request.auth)  # type: ignore[attr-defined]  # set by django-ninja
    try:
        a = get_object_or_404(qs, pk=app_id)
    except Exception:
        raise HttpError(404, "not found") from None
    out = _application(a)
    out.update({"facts": a.facts, "details": a.details, "eligibility": a.eligibility,
                "evidence": [{"id": e.pk, "condition": e.condition, "name": e.original_name, "type": e.file_type,
                              "size": e.size, "sha256": e.sha256} for e in a.evidence.all()]})
    return 200, out


@api.get("/version", response=dict[str, str], auth=None, summary="平台版本", tags=["platform"])
def platform_version(request: HttpRequest) -> dict[str, str]:
    """The running platform version (the same as the page footer and /healthz)."""
    from jiangxin.platform.core.version import version

    return {"version": version()}


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> Any:
    """Any unexpected error: logged with its traceback on the server, answered with a plain JSON message — never
    a traceback or a server path, whatever DEBUG says."""
    logging.getLogger("jiangxin.api").exception("API error on %s", request.path, exc_info=exc)
    return api.create_response(request, {"error": "服务器内部错误，已记录。请稍后重试或联系系统管理员。"}, status=500)
