"""Public portal (no login, under /public/): published data only, personal data masked."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin

from jiangxin.platform.academy.models import (
    Course,
    CourseMaterial,
    CourseStatus,
    Teacher,
    TeacherStatus,
    TrainingOffering,
)
from jiangxin.platform.academy.views_courses import serve_material
from jiangxin.platform.core.masking import mask_name
from jiangxin.platform.core.paginate import paginate
from jiangxin.platform.portal.models import ListingKind, PublicListing

DIRECTORY_KINDS = [k for k in ListingKind if k != ListingKind.NOTICE]


def published_courses() -> Any:
    return Course.objects.filter(status=CourseStatus.PUBLISHED).select_related("academy")


def home(request: HttpRequest) -> HttpResponse:
    listings = PublicListing.objects.filter(published=True)
    counts = dict(listings.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return render(request, "portal/home.html", {
        "counts": [(k, k.label, counts.get(k, 0)) for k in DIRECTORY_KINDS],
        "notices": listings.filter(kind=ListingKind.NOTICE)[:5],
        "courses": published_courses().order_by("-first_published_on", "-id")[:6],
        "n_courses": published_courses().count(),
        "n_teachers": Teacher.objects.filter(status=TeacherStatus.APPROVED).count(),
        "offerings": TrainingOffering.objects.filter(published=True, ends__gte=timezone.localdate())
        .select_related("academy").order_by("starts")[:5],
    })


def directory(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    qs = PublicListing.objects.filter(published=True).exclude(kind=ListingKind.NOTICE).select_related("organisation")
    if kind in ListingKind.values:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(organisation__name__icontains=q) | Q(summary__icontains=q))
    page = paginate(request, qs.defer("summary"))
    from jiangxin.platform.documents.links import certificate_numbers

    page.object_list = list(page.object_list)
    numbers = certificate_numbers(page.object_list)
    for listing in page.object_list:
        listing.verify_number = numbers.get(listing.pk, "")
    return render(request, "portal/directory.html", {"page": page, "kind": kind, "q": q,
                                                     "kinds": [(k.value, k.label) for k in DIRECTORY_KINDS]})


def notices(request: HttpRequest) -> HttpResponse:
    qs = PublicListing.objects.filter(published=True, kind=ListingKind.NOTICE).select_related("organisation")
    return render(request, "portal/notices.html", {"page": Paginator(qs.order_by("-since", "-id"), 50)
                                                   .get_page(request.GET.get("page"))})


def teachers(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("major", "").strip()
    honour = request.GET.get("honour", "").strip()
    qs = Teacher.objects.filter(status=TeacherStatus.APPROVED).select_related("organisation")
    if q:
        qs = qs.filter(majors__icontains=q)
    if honour:
        qs = qs.filter(honours__contains=f"|{honour}|")
    page = Paginator(qs.order_by("name", "id"), 50).get_page(request.GET.get("page"))
    rows = [{"name": mask_name(t.name), "employer": t.employer, "majors": t.majors,
             "honours": "、".join(t.honour_list), "title": t.title} for t in page]
    from jiangxin.platform.academy.services import honour_choices

    return render(request, "portal/teachers.html", {"page": page, "rows": rows, "major": q, "honour": honour,
                                                    "honour_choices": honour_choices()})


def courses(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    qs = published_courses().annotate(n=Count("materials"))
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(major__icontains=q) | Q(academy__name__icontains=q)
                       | Q(description__icontains=q))
    page = Paginator(qs.order_by("-first_published_on", "-id"), 30).get_page(request.GET.get("page"))
    return render(request, "portal/courses.html", {"page": page, "q": q})


def course(request: HttpRequest, pk: int) -> HttpResponse:
    c = get_object_or_404(published_courses(), pk=pk)
    return render(request, "portal/course.html", {"c": c, "materials": c.materials.all(),
                                                  "material_url": "portal:material", "own": False})


@xframe_options_sameorigin
def material(request: HttpRequest, pk: int) -> HttpResponseBase:
    m = get_object_or_404(CourseMaterial.objects.select_related("course"), pk=pk)
    if m.course.status != CourseStatus.PUBLISHED:
        raise Http404
    return serve_material(request, m)


def training(request: HttpRequest) -> HttpResponse:
    qs = TrainingOffering.objects.filter(published=True).select_related("academy")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(major__icontains=q) | Q(academy__name__icontains=q))
    if request.GET.get("welfare"):
        qs = qs.filter(public_welfare=True)
    page = Paginator(qs.order_by("-starts", "id"), 50).get_page(request.GET.get("page"))
    return render(request, "portal/training.html", {"page": page, "q": q, "welfare": bool(request.GET.get("welfare"))})
