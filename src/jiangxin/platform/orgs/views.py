"""Organisation tree pages: everyone sees only their scope; the system administrator edits."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jiangxin.platform.core.params import id_param
from jiangxin.platform.core.permissions import role_required
from jiangxin.platform.core.roles import Role
from jiangxin.platform.orgs import services
from jiangxin.platform.orgs.forms import OrganisationForm, OrgFilterForm
from jiangxin.platform.orgs.models import Organisation
from jiangxin.platform.orgs.scope import visible_organisations

#: roles that may open the organisation pages at all
ORG_VIEWERS = frozenset({Role.SYSTEM_ADMIN, Role.OFFICE, Role.DISTRICT, Role.PARK_OFFICE, Role.FINANCE,
                         Role.UNIT, Role.TRAINING_UNIT})


def _require_viewer(request: HttpRequest) -> None:
    if getattr(request.user, "role", None) not in ORG_VIEWERS:
        raise PermissionDenied


@login_required
def org_tree(request: HttpRequest) -> HttpResponse:
    _require_viewer(request)
    form = OrgFilterForm(request.GET or None)
    qs = visible_organisations(request.user)
    filtered = False
    if form.is_valid():
        data = form.cleaned_data
        if data.get("q"):
            qs, filtered = qs.filter(name__icontains=data["q"]), True
        if data.get("jurisdiction"):
            qs, filtered = qs.filter(jurisdiction=data["jurisdiction"]), True
        if data.get("level"):
            qs, filtered = qs.filter(level=data["level"]), True
    orgs = list(qs.order_by("path")[:2000])
    base_depth = min((o.path.count("/") for o in orgs), default=2)
    rows = [(o, o.path.count("/") - base_depth) for o in orgs]
    template = "orgs/_tree_rows.html" if getattr(request, "htmx", False) else "orgs/tree.html"
    return render(request, template, {"form": form, "rows": rows, "filtered": filtered,
                                      "can_edit": request.user.role == Role.SYSTEM_ADMIN})  # type: ignore[union-attr]


@login_required
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_viewer(request)
    visible = visible_organisations(request.user)
    org = get_object_or_404(visible, pk=pk)
    ancestors = [a for a in org.ancestors() if visible.filter(pk=a.pk).exists() and a.pk != org.pk]
    return render(request, "orgs/detail.html", {
        "org": org, "ancestors": ancestors, "children": visible.filter(parent=org).order_by("name"),
        "can_edit": request.user.role == Role.SYSTEM_ADMIN})  # type: ignore[union-attr]


@role_required(Role.SYSTEM_ADMIN)
def org_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.GET.get("parent"):
        parent = Organisation.objects.filter(pk=id_param(request.GET["parent"]) or 0).first()
        if parent is not None:
            initial = {"parent": parent, "jurisdiction": parent.jurisdiction}
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        org = services.create_organisation(actor=request.user, **form.changed_values())
        messages.success(request, _("组织已创建。"))
        return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/form.html", {"form": form, "creating": True})


@role_required(Role.SYSTEM_ADMIN)
def org_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organisation, pk=pk)
    form = OrganisationForm(request.POST or None, instance=Organisation.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        services.update_organisation(org, actor=request.user, **form.changed_values())
        messages.success(request, _("组织信息已保存。"))
        return redirect("orgs:detail", pk=org.pk)
    return render(request, "orgs/form.html", {"form": form, "org": org, "creating": False})
