"""Landing page (my tasks), the user's profile, error pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiangxin.platform.core.auditing import record
from jiangxin.platform.core.ui import collect_nav, collect_tasks


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    tasks = collect_tasks(request.user, request)
    return render(request, "core/my_tasks.html", {
        "tasks": tasks,
        "open_tasks": [t for t in tasks if t.count],
        "shortcuts": collect_nav(request.user, request),
    })


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    person = request.user.person  # type: ignore[union-attr]
    revealed = ""
    if person is not None and request.session.pop("reveal_id_once", False):
        revealed = person.reveal_id_number()
    return render(request, "core/profile.html", {"person": person, "revealed_id": revealed,
                                                 "honours": list(person.honours.all()) if person else []})


@login_required
@require_POST
def reveal_own_id(request: HttpRequest) -> HttpResponse:
    """The person may see their own full ID number once (audited); nobody else ever can."""
    person = request.user.person  # type: ignore[union-attr]
    if person is None:
        messages.error(request, _("您的账号未关联人员档案。"))
        return redirect("core:profile")
    record("people.person.reveal_own_id", person, summary=_("本人查看完整公民身份号码"))
    request.session["reveal_id_once"] = True
    return redirect("core:profile")


def interpretation(request: HttpRequest, code: str) -> HttpResponse:
    """One interpretation (解释口径) of docs/interpretations.md, linked by title from citations and traces.

    The interpretation records are kept in English (the maintainers' language); the page says so on Chinese pages.
    """
    import re

    from django.http import Http404

    from jiangxin.platform.core.templatetags.labels import DOCS_DIR, interp_title

    text = (DOCS_DIR / "interpretations.md").read_text(encoding="utf-8") if (
        DOCS_DIR / "interpretations.md").is_file() else ""
    m = re.search(rf"^(#{{2,3}}) {re.escape(code)}\b.*$", text, flags=re.M)
    if not m:
        raise Http404(code)
    rest = text[m.end():]
    end = re.search(rf"^#{{1,{len(m.group(1))}}} ", rest, flags=re.M)
    body = rest[: end.start()] if end else rest
    return render(request, "core/interpretation.html", {
        "code": code, "title": interp_title(code), "heading": m.group(0).lstrip("# "), "body": body.strip()})
