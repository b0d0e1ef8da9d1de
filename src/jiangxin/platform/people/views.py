"""People registry pages (人员库): list/search, detail, register and edit, honours, bans.

Every query goes through :mod:`.access` (and so through ``orgs.scope``); a record outside the user's scope
answers 404 exactly like a record that does not exist. ID numbers are only ever shown masked.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.core.files import serve_private_file
from jiangxin.platform.core.paginate import CountedPaginator
from jiangxin.platform.core.params import id_param
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.core.textsearch import matching
from jiangxin.platform.orgs.scope import visible_organisations
from jiangxin.platform.people import access, services
from jiangxin.platform.people.crypto import id_hash
from jiangxin.platform.people.forms import (
    HONOUR_EVIDENCE_TYPES,
    BanForm,
    HonourForm,
    IdLookupForm,
    PersonCreateForm,
    PersonEditForm,
    PersonFilterForm,
    apply_errors,
)
from jiangxin.platform.people.models import Ban, Honour, Person

PAGE_SIZE = 25


def _is(user: Any, roles: frozenset[str]) -> bool:
    return getattr(user, "role", None) in roles


@role_required(*access.VIEWERS)
def person_list(request: HttpRequest) -> HttpResponse:
    """GET: filters (name, level, honour, employer); POST: exact lookup by the full ID number."""
    user = request.user
    employers = visible_organisations(user).only("pk", "name", "path").order_by("path") if _is(user, access.SUBTREE_ROLES) else None
    qs = access.visible_persons(user)
    lookup = IdLookupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        form = PersonFilterForm(employers=employers)
        if lookup.is_valid():
            # exact match through the keyed hash inside the scoped queryset: never a LIKE on the number,
            # and a number outside the scope looks exactly like an unknown one
            qs = qs.filter(id_hash=id_hash(lookup.cleaned_data["id_number"]))
        else:
            qs = qs.none()
    else:
        form = PersonFilterForm(request.GET or None, employers=employers)
        if form.is_valid():
            qs = _filtered(qs, form.cleaned_data)
        elif form.is_bound:
            qs = qs.none()
    page = CountedPaginator(qs.order_by("name", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "lookup": lookup, "page": page, "query": query.urlencode(),
               "can_create": _is(user, access.EDITORS)}
    template = "people/_person_rows.html" if getattr(request, "htmx", False) else "people/list.html"
    return render(request, template, context)


def _filtered(qs: QuerySet[Person], data: dict[str, Any]) -> QuerySet[Person]:
    if data.get("q"):
        qs = qs.filter(matching("name", data["q"].strip()))
    if data.get("skill_level"):
        qs = qs.filter(skill_level=data["skill_level"])
    if data.get("honour_kind"):
        qs = qs.filter(Exists(Honour.objects.filter(person=OuterRef("pk"), kind=data["honour_kind"])))
    if data.get("employer"):
        qs = qs.filter(employer__path__startswith=data["employer"].path)
    if data.get("unverified"):
        qs = qs.filter(Exists(Honour.objects.filter(person=OuterRef("pk"), verified=False)))
    return qs


def _bans_context(person: Person, user: Any) -> list[dict[str, Any]]:
    today = timezone.localdate()
    bans = access.visible_bans(user).filter(person=person)
    if person.employer_id:
        bans = bans | access.visible_bans(user).filter(organisation_id=person.employer_id)
    return [{"ban": b, "active": b.is_active(today), "on_employer": b.organisation_id is not None}
            for b in bans.order_by("-start", "id")]


@role_required(*access.VIEWERS)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(access.visible_persons(request.user), pk=pk)
    user = request.user
    return render(request, "people/detail.html", {
        "person": person,
        "honours": list(person.honours.select_related("verified_by").all()),
        "bans": _bans_context(person, user),
        "can_edit": access.editable_persons(user).filter(pk=pk).exists(),
        "can_verify": _is(user, access.OFFICE),
        "can_ban": _is(user, access.OFFICE),
    })


def _duplicate_message(user: Any, number: str) -> tuple[str, Person | None]:
    """Duplicate number: a link when the existing person is in scope, otherwise words that reveal nothing."""
    existing = services.find_person_by_id_number(number)
    if existing is not None and access.visible_persons(user).filter(pk=existing.pk).exists():
        return _("该公民身份号码已登记，请打开已有的人员档案。"), existing
    return _("该公民身份号码无法在此登记，请核对号码或联系主管部门。"), None


@role_required(*access.EDITORS)
def person_create(request: HttpRequest) -> HttpResponse:
    employers = access.employer_choices(request.user)
    initial = {"employer": request.user.organisation} if _is(  # type: ignore[union-attr]
        request.user, frozenset({Role.UNIT, Role.TRAINING_UNIT})) else {}
    form = PersonCreateForm(request.POST or None, employers=employers, initial=initial)
    existing = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if services.find_person_by_id_number(data["id_number"]) is not None:
            message, existing = _duplicate_message(request.user, data["id_number"])
            form.add_error("id_number", message)
        else:
            try:
                person = services.register_person(name=data["name"], id_number=data["id_number"], sex=data["sex"],
                                                  birth_date=data["birth_date"], actor=request.user,
                                                  **{k: v for k, v in form.values().items() if k != "name"})
            except ValidationError as exc:
                if "id_number" in getattr(exc, "error_dict", {}) and services.find_person_by_id_number(
                        data["id_number"]) is not None:  # registered concurrently
                    message, existing = _duplicate_message(request.user, data["id_number"])
                    form.add_error("id_number", message)
                else:
                    apply_errors(form, exc)
            else:
                messages.success(request, _("人员已登记。"))
                return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "creating": True, "existing": existing})


@role_required(*access.EDITORS)
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(access.editable_persons(request.user), pk=pk)
    employers = access.employer_choices(request.user)
    initial = {name: getattr(person, name) for name in PersonEditForm.base_fields}
    initial["employer"] = person.employer_id
    form = PersonEditForm(request.POST or None, employers=employers, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = form.values()
        changes["skill_level"] = changes.get("skill_level") or ""
        try:
            services.update_person(Person.objects.get(pk=person.pk), actor=request.user, **changes)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("人员信息已保存。"))
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "creating": False, "person": person})


@role_required(*access.EDITORS)
def honour_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(access.editable_persons(request.user), pk=pk)
    form = HonourForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_honour(person, kind=data["kind"], awarded_on=data["awarded_on"], level=data["level"],
                                title=data["title"], issuer=data["issuer"], evidence=data["evidence"],
                                actor=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("荣誉已登记，待主管部门核实。"))
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/honour_form.html", {"form": form, "person": person})


def _scoped_honour(request: HttpRequest, pk: int, honour_id: int) -> Honour:
    person = get_object_or_404(access.visible_persons(request.user), pk=pk)
    return get_object_or_404(Honour, pk=honour_id, person=person)


@role_required(*access.OFFICE)
@require_POST
def honour_verify(request: HttpRequest, pk: int, honour_id: int) -> HttpResponse:
    honour = _scoped_honour(request, pk, honour_id)
    verified = request.POST.get("verified", "1") == "1"
    services.verify_honour(honour, actor=request.user, verified=verified)
    messages.success(request, _("荣誉已核实。") if verified else _("已撤销核实。"))
    return redirect("people:detail", pk=pk)


@role_required(*access.VIEWERS)
def honour_evidence(request: HttpRequest, pk: int, honour_id: int) -> FileResponse:
    """Serve an honour's evidence only within the viewer's scope, and only from inside MEDIA_ROOT."""
    honour = _scoped_honour(request, pk, honour_id)
    if not honour.evidence:
        raise Http404
    extension = honour.evidence.name.rsplit(".", 1)[-1].lower()
    return serve_private_file(honour.evidence, filename=f"honour-{honour.pk}.{extension}",
                              content_type=HONOUR_EVIDENCE_TYPES.get(extension, "application/octet-stream"))


@role_required(*access.OFFICE)
def ban_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    show = request.GET.get("show", "active")
    bans = access.visible_bans(request.user)
    if show != "all":
        bans = bans.filter(pk__in=Ban.objects.active_on(today).values("pk"))
    org_id = request.GET.get("organisation", "")
    if org_id.isdecimal():
        bans = bans.filter(organisation_id=int(org_id))
    page = Paginator(bans.order_by("-start", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"ban": b, "active": b.is_active(today)} for b in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "people/ban_list.html", {"page": page, "rows": rows, "show": show,
                                                    "query": query.urlencode()})


@role_required(*access.OFFICE)
def ban_create(request: HttpRequest) -> HttpResponse:
    persons = access.visible_persons(request.user)
    organisations = visible_organisations(request.user).order_by("path")
    initial: dict[str, Any] = {"start": timezone.localdate()}
    preset = None
    if id_param(request.GET.get("person")):
        preset = get_object_or_404(persons, pk=id_param(request.GET.get("person")))
        initial.update(person=preset.pk, subject="person")
    elif id_param(request.GET.get("organisation")):
        org = get_object_or_404(organisations, pk=id_param(request.GET.get("organisation")))
        initial.update(organisation=org.pk, subject="organisation")
    form = BanForm(request.POST or None, organisations=organisations, persons=persons, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            person = form.person_obj if data["subject"] == "person" else None
            try:
                ban = services.impose_ban(
                    program=data["program"], reason=data["reason"], citation_label=data["citation_label"],
                    start=data["start"], end=None if data["permanent"] else data["end"], person=person,
                    organisation=data["organisation"] if person is None else None,
                    decision_reference=data["decision_reference"], actor=request.user)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("禁止申报记录已登记。"))
                if ban.person_id:
                    return redirect("people:detail", pk=ban.person_id)
                return redirect(reverse("people:bans") + f"?organisation={ban.organisation_id}")
        preset = form.person_obj or preset
    return render(request, "people/ban_form.html", {"form": form, "preset": preset})

