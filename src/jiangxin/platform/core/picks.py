"""Search-as-you-type choices of people, experts and organisations (decision 0028).

A *source* names a scoped queryset (what the caller may choose) and how one row is labelled. Each app
declares its sources in ``<app>/picks.py`` with :func:`source`; the form field :class:`PickField` (or
:class:`PickMultipleField`) names its source, and its widget is a small text box that asks
``/picks/<source>/?q=...`` (``jiangxin/pick.js``) and fills a hidden value. The server keeps validating: a
posted id outside the form's queryset is refused; without JavaScript the typed name is resolved by the server
when it matches exactly one choice.

The endpoint answers at most :data:`LIMIT` rows, prefix matches on the indexed name first, then (for two or
more characters) rows containing the text; people are labelled with the masked ID number only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

#: most rows one query answers
LIMIT = 20
#: the longest search text accepted
MAX_QUERY = 50


@dataclass(frozen=True)
class Source:
    key: str
    #: (user, params) -> the scoped queryset of what the caller may choose
    queryset: Callable[[Any, Mapping[str, str]], QuerySet[Any]]
    #: one row in words (people: name and masked ID number, never the full number)
    label: Callable[[Any], str]
    #: the indexed name column searched by prefix, then by "contains"
    search: str = "name"
    #: the parameters (besides q) the queryset reads, e.g. a panel id
    params: tuple[str, ...] = ()


SOURCES: dict[str, Source] = {}


def source(key: str, *, label: Callable[[Any], str], search: str = "name",
           params: Iterable[str] = ()) -> Callable[[Callable[[Any, Mapping[str, str]], QuerySet[Any]]],
                                                    Callable[[Any, Mapping[str, str]], QuerySet[Any]]]:
    """Declare a pick source (decorates the queryset function)."""

    def decorator(fn: Callable[[Any, Mapping[str, str]], QuerySet[Any]]) -> Callable[
            [Any, Mapping[str, str]], QuerySet[Any]]:
        SOURCES[key] = Source(key, fn, label, search, tuple(params))
        return fn

    return decorator


def autodiscover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("picks")


def get_source(key: str) -> Source:
    if key not in SOURCES:
        autodiscover()
    return SOURCES[key]


def search(queryset: QuerySet[Any], column: str, text: str, limit: int = LIMIT) -> list[Any]:
    """Rows whose name starts with ``text`` (an indexed prefix search), then rows containing it."""
    text = text.strip()[:MAX_QUERY]
    if not text:
        return []
    ordered = queryset.order_by(column, "pk")
    found = list(ordered.filter(**{f"{column}__startswith": text})[:limit])
    if len(found) < limit and len(text) >= 2:
        seen = [row.pk for row in found]
        found += list(ordered.filter(**{f"{column}__icontains": text}).exclude(pk__in=seen)[:limit - len(found)])
    return found


def person_label(person: Any) -> str:
    """A person by name, masked ID number and employer (the stored mask; never the full number)."""
    employer = f"，{person.employer.name}" if getattr(person, "employer_id", None) else ""
    return f"{person.name}（{person.id_mask}{employer}）"


def expert_label(user: Any) -> str:
    """An expert by name and organisation (never a login name)."""
    name = user.display_name or user.get_full_name() or _("（未填写姓名）")
    return f"{name}（{user.organisation.name}）" if user.organisation_id else str(name)


def org_label(org: Any) -> str:
    return str(org.name)


class TypedName(str):
    """What the user typed in the text box when no choice was picked (no JavaScript, or edited after picking)."""

    __slots__ = ()


_SPLIT = re.compile(r"[\n、，,;；]+")


def _name_part(text: str) -> str:
    """``张三（3601**********12）`` -> ``张三``: a label copied back is searched by its name."""
    return re.split(r"[（(]", text, maxsplit=1)[0].strip()


def resolve(queryset: QuerySet[Any], column: str, text: str, label: Callable[[Any], str]) -> Any:
    """The one row the typed text names, or a Chinese error saying why not."""
    text = text.strip()
    exact = list(queryset.filter(**{column: _name_part(text)}).order_by("pk")[:LIMIT + 1])
    rows = [row for row in exact if label(row) == text] or exact
    if not rows:
        rows = list(queryset.filter(**{f"{column}__icontains": _name_part(text)}).order_by("pk")[:2])
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise ValidationError(_("在您可选择的范围内未找到“%(text)s”。") % {"text": text[:MAX_QUERY]},
                              code="invalid_choice")
    raise ValidationError(_("“%(text)s”对应多个选项，请输入完整名称或从搜索结果中选择。") % {"text": text[:MAX_QUERY]},
                          code="ambiguous")


class PickInput(forms.Widget):
    """A text box that searches a pick source as the user types and fills a hidden value."""

    multiple = False

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.source_key = ""
        self.params: dict[str, Any] = {}
        self.queryset: QuerySet[Any] | None = None

    @property
    def url(self) -> str:
        query = {k: v for k, v in self.params.items() if v not in (None, "")}
        url = reverse("core:picks", args=[self.source_key])
        return f"{url}?{urlencode(query)}" if query else url

    def label(self, row: Any) -> str:
        return get_source(self.source_key).label(row)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        chosen = data.get(name)
        if chosen not in (None, ""):
            return chosen
        typed = (data.get(f"{name}__text") or "").strip()
        return TypedName(typed) if typed else None

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}__text" not in data

    def _rows(self, values: list[Any]) -> list[Any]:
        ids = [v for v in values if not isinstance(v, TypedName) and str(v).isdecimal()]
        if not ids or self.queryset is None:
            return []
        return list(self.queryset.filter(pk__in=ids))

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        attrs = self.build_attrs(self.attrs, attrs)
        box_id = attrs.get("id") or f"id_{name}"
        if isinstance(value, Model):
            value = value.pk
        text = str(value) if isinstance(value, TypedName) else ""
        rows = self._rows([value]) if value not in (None, "") else []
        if rows:
            text = self.label(rows[0])
        hidden = rows[0].pk if rows else ""
        return mark_safe(
            f'<div class="pick" data-pick-url="{escape(self.url)}" data-pick-name="{escape(name)}"{self._none()}>'
            f'<input type="hidden" name="{escape(name)}" value="{escape(hidden)}">'
            f"{self._box(name, box_id, text, attrs)}</div>")

    def _none(self) -> str:
        return f' data-pick-none="{escape(_("没有匹配的结果"))}"'

    def _box(self, name: str, box_id: str, text: str, attrs: dict[str, Any]) -> str:
        extra = "".join(f' {key}="{escape(attrs[key])}"' for key in ("aria-describedby", "aria-label", "aria-invalid")
                        if attrs.get(key))
        required = " required" if attrs.get("required") and not self.multiple else ""
        return (f'<input type="text" id="{escape(box_id)}" name="{escape(name)}__text" value="{escape(text)}"'
                f' class="pick-box" autocomplete="off" spellcheck="false" maxlength="{MAX_QUERY * 4}"'
                f' role="combobox" aria-autocomplete="list" aria-expanded="false"'
                f' aria-controls="{escape(box_id)}-results" placeholder="{escape(_("输入名称查找"))}"{extra}{required}>'
                f'<ul class="pick-results" id="{escape(box_id)}-results" role="listbox" hidden></ul>')


class PickMultipleInput(PickInput):
    """Several choices: the chosen ones are ticked boxes (untick to drop); the text box adds more."""

    multiple = True

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        chosen = [v for v in (data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []) if v]
        typed = (data.get(f"{name}__text") or "").strip()
        return chosen + [TypedName(t.strip()) for t in _SPLIT.split(typed) if t.strip()]

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        attrs = self.build_attrs(self.attrs, attrs)
        box_id = attrs.get("id") or f"id_{name}"
        values = [v.pk if isinstance(v, Model) else v for v in (value or [])]
        typed = "、".join(str(v) for v in values if isinstance(v, TypedName))
        chosen = "".join(
            f'<li><label><input type="checkbox" name="{escape(name)}" value="{escape(row.pk)}" checked> '
            f"{escape(self.label(row))}</label></li>" for row in self._rows(values))
        return mark_safe(
            f'<div class="pick" data-pick-url="{escape(self.url)}" data-pick-name="{escape(name)}"{self._none()} '
            f'data-pick-multiple><ul class="pick-chosen">{chosen}</ul>'
            f"{self._box(name, box_id, typed, attrs)}</div>")


class _PickMixin:
    """What both pick fields share: the source, its parameters, the widget told of the accepted rows."""

    widget: Any
    _queryset: Any

    def _setup(self, source: str, params: Mapping[str, Any] | None) -> None:
        self.source_key = source
        self.widget.source_key = source
        self.widget.params = dict(params or {})
        self.widget.queryset = self._queryset

    def set_params(self, **params: Any) -> None:
        """Parameters the endpoint needs to scope the choices like the form does (e.g. ``panel=7``)."""
        self.widget.params = {**self.widget.params, **params}

    def label_from_instance(self, obj: Any) -> str:
        return get_source(self.source_key).label(obj)


class PickField(_PickMixin, forms.ModelChoiceField):
    """A choice of one row of a pick source; the form still sets ``queryset`` (what is accepted)."""

    widget = PickInput
    default_error_messages: ClassVar[dict[str, Any]] = {"invalid_choice": gettext_lazy("只能选择您管辖范围内的对象。")}

    def __init__(self, *, source: str, params: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", None)
        super().__init__(**kwargs)
        self._setup(source, params)

    def _set_queryset(self, queryset: Any) -> None:
        forms.ModelChoiceField._set_queryset(self, queryset)  # type: ignore[attr-defined]
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)  # type: ignore[attr-defined]

    def to_python(self, value: Any) -> Any:
        if isinstance(value, TypedName):
            return resolve(self.queryset, get_source(self.source_key).search, value, self.label_from_instance)
        if value not in self.empty_values and not str(value).strip().isdecimal():
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class PickMultipleField(_PickMixin, forms.ModelMultipleChoiceField):
    """Several rows of a pick source (e.g. a panel's experts)."""

    widget = PickMultipleInput
    default_error_messages: ClassVar[dict[str, Any]] = {"invalid_choice": gettext_lazy("只能选择您管辖范围内的对象。"),
                              "invalid_pk_value": gettext_lazy("只能选择您管辖范围内的对象。")}

    def __init__(self, *, source: str, params: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", None)
        super().__init__(**kwargs)
        self._setup(source, params)

    def _set_queryset(self, queryset: Any) -> None:
        forms.ModelMultipleChoiceField._set_queryset(self, queryset)  # type: ignore[attr-defined]
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelMultipleChoiceField._get_queryset, _set_queryset)  # type: ignore[attr-defined]

    def clean(self, value: Any) -> Any:
        values = list(value or [])
        ids = [v for v in values if not isinstance(v, TypedName)]
        if any(not str(v).strip().isdecimal() for v in ids):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        search_column = get_source(self.source_key).search
        for text in (v for v in values if isinstance(v, TypedName)):
            ids.append(str(resolve(self.queryset, search_column, text, self.label_from_instance).pk))
        return super().clean(ids)


def params_of(request: Any, src: Source) -> dict[str, str]:
    return {name: str(request.GET.get(name, ""))[:40] for name in src.params}


def results(user: Any, key: str, text: str, params: Mapping[str, str]) -> list[dict[str, Any]]:
    """At most :data:`LIMIT` rows of ``key`` that ``user`` may choose, as ``{"id", "label"}``."""
    src = get_source(key)
    return [{"id": row.pk, "label": src.label(row)} for row in search(src.queryset(user, params), src.search, text)]


@login_required
@require_GET
def pick_view(request: HttpRequest, key: str) -> JsonResponse:
    """``/picks/<source>/?q=...``: the rows of a source the caller may choose (JSON, never cached)."""
    try:
        src = get_source(key)
    except KeyError:
        raise Http404 from None
    rows = results(request.user, key, request.GET.get("q", ""), params_of(request, src))
    response = JsonResponse({"results": rows, "limit": LIMIT})
    response["Cache-Control"] = "no-store"
    return response
