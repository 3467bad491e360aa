"""Public pages, no login: the register of certified platforms (第十二条), a platform's page and its
certificate, and the public notices (第十条) with the objection form.

Everything here is public by the scheme's own terms, so these views apply no user scope; what may be
shown is decided by the selectors (the register lists titles in force only) and by what the templates
choose to show of an application (its public facts, never its figures or materials).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.cache import cache
from django.db.models import Max, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sme.core.errors import ServiceError
from sme.core.forms import BootstrapFormMixin, apply_service_errors
from sme.core.pagination import paginate
from sme.core.pdf import PDF_CONTENT_TYPE
from sme.core.request_context import client_ip
from sme.regions import selectors as region_selectors
from sme.regions.models import Zone, ZoneMembership
from sme.workdays.calendar import CalendarNotCovered, workdays_between

from . import documents, selectors, services
from .lifecycle import certification_history
from .models import Certification, CertificationStatus, Notice, Scheme

REGISTER_PER_PAGE = 20
NOTICES_PER_PAGE = 20
CURRENT_NOTICES_SHOWN = 50
ZONE_CACHE_SECONDS = 600
CERTIFICATE_CACHE_SECONDS = 24 * 3600
REGISTER_COLUMNS = (
    "number",
    "platform_name",
    "title",
    "categories",
    "granted_on",
    "valid_until",
    "status",
    "district__name",
    "organization__name",
    "scheme__code",
    "scheme__categories",
)


# --- helpers ----------------------------------------------------------------------------------


def platform_key(certification: Certification) -> str:
    """What a platform's address names: its certificate number when that fits in a path, else its id."""
    number = certification.number
    if number and "/" not in number and not number.isdigit():
        return number
    return str(certification.pk)


def platform_url(certification: Certification) -> str:
    return reverse("certification:platform", args=[platform_key(certification)])


def certification_by_key(key: str) -> Certification:
    """The certification a platform address names (number first, then id), whatever its status."""
    qs = Certification.objects.select_related("district", "scheme", "organization")
    found = qs.filter(number=key).first()
    if found is None and key.isdigit():
        found = qs.filter(pk=int(key)).first()
    if found is None:
        raise Http404(_("没有这个认定平台。"))
    return found


def category_labels(certification: Certification) -> list[str]:
    """The labels of the function categories a title was granted for, in the scheme's words."""
    keys: list[str] = []
    labels: list[str] = []
    for item in certification.categories or []:
        if isinstance(item, dict):
            if item.get("label"):
                labels.append(str(item["label"]))
            elif item.get("key"):
                keys.append(str(item["key"]))
        else:
            keys.append(str(item))
    return labels + certification.scheme.category_labels(keys) if keys else labels


def zone_district_ids(zone_key: str) -> frozenset[int]:
    """The divisions a zone holds, nested zones included (两翼 = 渝东北翼 + 渝东南翼).

    Memberships of every period count: a zone grouping is a historical fact (一圈两翼 ended in 2013) and
    the register filters by where a platform sits, not by the date of the grouping. Cached until the
    region data changes."""
    key = f"certification:zone-districts:{region_selectors.data_version()}:{zone_key}"
    cached = cache.get(key)
    if cached is not None:
        return frozenset(cached)
    zone_ids = set(
        Zone.objects.filter(
            Q(key=zone_key) | Q(parent__key=zone_key) | Q(parent__parent__key=zone_key)
        ).values_list("pk", flat=True)
    )
    ids = set(ZoneMembership.objects.filter(zone_id__in=zone_ids).values_list("region_id", flat=True))
    cache.set(key, sorted(ids), timeout=ZONE_CACHE_SECONDS)
    return frozenset(ids)


# --- the register -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ZoneChoice:
    key: str
    label: str
    depth: int


@dataclass(frozen=True)
class ZoneGroup:
    label: str
    zones: list[ZoneChoice]


def zone_groups() -> list[ZoneGroup]:
    """Every zone grouping with its zones, nested zones after their parent (for the filter)."""
    zones = list(Zone.objects.select_related("grouping").order_by("grouping__name", "sort_order", "pk"))
    children: dict[int | None, list[Zone]] = {}
    for z in zones:
        children.setdefault(z.parent_id, []).append(z)
    groups: dict[int, ZoneGroup] = {}

    def walk(zone: Zone, depth: int) -> None:
        group = groups.setdefault(zone.grouping_id, ZoneGroup(zone.grouping.name, []))
        group.zones.append(ZoneChoice(zone.key, zone.name, depth))
        for child in children.get(zone.pk, []):
            walk(child, depth + 1)

    for top in children.get(None, []):
        walk(top, 0)
    return list(groups.values())


@dataclass(frozen=True)
class RegisterChoices:
    """What the register's filters offer, from the region data, the schemes and the titles."""

    districts: list[tuple[str, str, int]]  # (region key, name, pk)
    zone_groups: list[ZoneGroup]
    schemes: list[tuple[str, str]]  # (code, name)
    categories: list[tuple[str, str]]  # (key, label), across the current schemes
    years: list[int]  # newest first


CHOICES_CACHE_SECONDS = 300


def register_choices() -> RegisterChoices:
    """Cached for a few minutes (four queries saved on every page of a public, busy list): a new
    scheme or a first title in a new year shows in the filters within ``CHOICES_CACHE_SECONDS``."""
    key = f"certification:register-choices:{region_selectors.data_version()}"
    cached = cache.get(key)
    if isinstance(cached, RegisterChoices):
        return cached
    schemes = list(Scheme.objects.current().order_by("-level", "code").only("code", "name", "categories"))
    categories: dict[str, str] = {}
    for s in schemes:
        for c in s.categories:
            categories.setdefault(str(c.get("key")), str(c.get("label", c.get("key"))))
    span = Certification.objects.aggregate(first=Min("granted_on"), last=Max("granted_on"))
    choices = RegisterChoices(
        districts=[(r.key, r.name, r.pk) for r in region_selectors.districts()],
        zone_groups=zone_groups(),
        schemes=[(s.code, s.name) for s in schemes],
        categories=list(categories.items()),
        years=list(range(span["last"].year, span["first"].year - 1, -1)) if span["first"] else [],
    )
    cache.set(key, choices, timeout=CHOICES_CACHE_SECONDS)
    return choices


def _options(choices: Any, current: str) -> SafeString:
    return SafeString(
        "".join(
            format_html(
                '<option value="{}"{}>{}</option>', value, " selected" if str(value) == current else "", label
            )
            for value, label in choices
        )
    )


class RegisterFilterForm(forms.Form):
    district = forms.ChoiceField(label=gettext_lazy("所在区县"), required=False)
    zone = forms.ChoiceField(label=gettext_lazy("所在区域"), required=False)
    category = forms.ChoiceField(label=gettext_lazy("服务功能类别"), required=False)
    scheme = forms.ChoiceField(label=gettext_lazy("认定办法"), required=False)
    year = forms.TypedChoiceField(
        label=gettext_lazy("认定年度"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = register_choices()
        everything = ("", _("全部"))
        self.district_ids = {key: pk for key, _name, pk in choices.districts}
        self.zone_groups = choices.zone_groups
        options: dict[str, list[tuple[Any, str]]] = {
            "district": [(key, name) for key, name, _pk in choices.districts],
            "zone": [(z.key, z.label) for g in choices.zone_groups for z in g.zones],
            "category": choices.categories,
            "scheme": choices.schemes,
            "year": [(y, str(y)) for y in choices.years],
        }
        for name, values in options.items():
            self.fields[name].choices = [everything, *values]  # type: ignore[attr-defined]

    def controls(self) -> list[SafeString]:
        """Each filter as label + select, built here rather than by template loops: the five lists
        hold some eighty options, and drawing them with template tags cost more than the list itself."""
        out = []
        for name, field in self.fields.items():
            raw = self.data.get(name, "") if self.is_bound else ""
            current = raw if isinstance(raw, str) else ""
            if name == "zone":
                groups = [
                    (g.label, [(z.key, ("　└ " if z.depth else "") + z.label) for z in g.zones])
                    for g in self.zone_groups
                ]
                options = format_html('<option value="">{}</option>', _("全部")) + SafeString(
                    "".join(
                        format_html('<optgroup label="{}">{}</optgroup>', label, _options(zones, current))
                        for label, zones in groups
                    )
                )
            else:
                options = _options(field.choices, current)  # type: ignore[attr-defined]
            out.append(
                format_html(
                    '<label class="form-label small mb-1" for="id_{name}">{label}</label>'
                    '<select class="form-select" name="{name}" id="id_{name}">{options}</select>',
                    name=name,
                    label=field.label,
                    options=options,
                )
            )
        return out

    def filters(self) -> dict[str, Any]:
        """The valid filters only: a bad value in one field does not throw away the others."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        district_key = data.get("district") or ""
        zone = data.get("zone") or ""
        return {
            "district_id": self.district_ids.get(district_key),
            "district_ids": zone_district_ids(zone) if zone else None,
            "category": data.get("category") or "",
            "scheme_code": data.get("scheme") or "",
            "year": data.get("year") or None,
        }


@require_GET
def register_list(request: HttpRequest) -> HttpResponse:
    """The register (第十二条): titles in force, newest first, filtered by place, category, scheme, year."""
    form = RegisterFilterForm(request.GET or None)
    # Only what the page shows: a scheme row carries its whole rule set as JSON.
    qs = selectors.register(**form.filters()).only(*REGISTER_COLUMNS)
    page = paginate(qs, request.GET.get("page"), per_page=REGISTER_PER_PAGE)
    entries = [(c, category_labels(c), platform_url(c)) for c in page.items]
    partial = bool(request.headers.get("HX-Request"))
    response = render(
        request,
        "certification/public/_register_results.html" if partial else "certification/public/register.html",
        {"form": form, "page": page, "entries": entries},
    )
    patch_vary_headers(response, ["HX-Request"])  # a cached partial must not stand in for the page
    return response


# --- a platform -------------------------------------------------------------------------------


@require_GET
def platform_detail(request: HttpRequest, key: str) -> HttpResponse:
    """A platform's page: public whatever its status; revoked and expired titles say so plainly."""
    certification = certification_by_key(key)
    canonical = platform_key(certification)
    if key != canonical:
        return redirect("certification:platform", key=canonical, permanent=True)
    in_force = certification.status in (CertificationStatus.ACTIVE, CertificationStatus.REREVIEW)
    return render(
        request,
        "certification/public/platform.html",
        {
            "cert": certification,
            "key": canonical,
            "categories": category_labels(certification),
            "in_force": in_force,
            "history": certification_history(certification),
        },
    )


@require_GET
def platform_certificate(request: HttpRequest, key: str) -> HttpResponse:
    """The certificate as PDF. A revoked or expired title's certificate is still served, marked across
    the page, so that anyone holding a copy can check what it is worth."""
    certification = certification_by_key(key)
    # Rendering takes a good part of a second of CPU and the address is public: keep each version.
    cache_key = ":".join(
        str(part)
        for part in (
            "certification:certificate",
            certification.pk,
            certification.updated_at.timestamp(),
            certification.status,
            certification.scheme.updated_at.timestamp(),
            certification.organization.updated_at.timestamp(),
            get_language(),
        )
    )
    pdf = cache.get(cache_key)
    if pdf is None:
        pdf = documents.certificate_pdf(certification)
        cache.set(cache_key, pdf, timeout=CERTIFICATE_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type=PDF_CONTENT_TYPE)
    name = f"certificate-{platform_key(certification)}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# --- notices ----------------------------------------------------------------------------------


@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    today = services._today()
    current = list(selectors.notices_current(today)[:CURRENT_NOTICES_SHOWN])
    past = paginate(selectors.notices_past(today), request.GET.get("page"), per_page=NOTICES_PER_PAGE)
    return render(
        request, "certification/public/notices.html", {"current": current, "page": past, "today": today}
    )


class ObjectionForm(BootstrapFormMixin, forms.Form):
    """The objection form. It only collects: ``services.objection_file`` decides what is acceptable
    (fields, and whether the notice is open), so the page and any other caller refuse the same things."""

    name = forms.CharField(
        label=gettext_lazy("异议人姓名或单位"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 50}),
    )
    contact = forms.CharField(
        label=gettext_lazy("联系方式"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 100}),
        help_text=gettext_lazy("手机、电话或电子邮箱，便于认定机关核实和答复；不对外公开。"),
    )
    text = forms.CharField(
        label=gettext_lazy("异议内容"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
        help_text=gettext_lazy("请写明异议的事实和理由，可附证据线索。"),
    )
    # A field people never see: robots fill every input, people leave it empty.
    website = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        label=gettext_lazy("网址（请勿填写）"),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ("name", "contact", "text"):
            self.fields[name].show_required = True  # type: ignore[attr-defined]


@dataclass(frozen=True)
class NoticeFacts:
    state: str  # "upcoming" | "open" | "ended" | "closed"
    day_one_is_publication_day: bool
    workdays_left: int | None


def notice_facts(notice: Notice, today: dt.date) -> NoticeFacts:
    if notice.closed_at is not None:
        state = "closed"
    elif today < notice.starts_on:
        state = "upcoming"
    elif today <= notice.ends_on:
        state = "open"
    else:
        state = "ended"
    left: int | None = None
    if state in ("open", "upcoming"):
        try:  # the working days still to come, today included when it is one
            left = workdays_between(max(today, notice.starts_on) - dt.timedelta(days=1), notice.ends_on)
        except CalendarNotCovered:
            left = None
    return NoticeFacts(state, notice.scheme.notice_day_one_is_publication_day, left)


@require_http_methods(["GET", "POST"])
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A public notice with the application's public facts and, while it is open, the objection form."""
    notice = get_object_or_404(
        Notice.objects.select_related(
            "application", "application__organization", "application__district", "scheme"
        ),
        pk=pk,
    )
    today = services._today()
    facts = notice_facts(notice, today)
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:  # a robot: answer as to a person, store nothing
            return redirect(reverse("certification:notice", args=[notice.pk]) + "?filed=1")
        try:
            services.objection_file(
                notice=notice,
                name=data["name"],
                contact=data["contact"],
                text=data["text"],
                actor=request.user,
                client_ip=client_ip(request),
            )
        except ServiceError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect(reverse("certification:notice", args=[notice.pk]) + "?filed=1")
    application = notice.application
    return render(
        request,
        "certification/public/notice.html",
        {
            "notice": notice,
            "application": application,
            "categories": notice.scheme.category_labels(
                [str(k) for k in application.categories if not isinstance(k, dict)]
            ),
            "facts": facts,
            "form": form,
            "filed": request.GET.get("filed") == "1",
        },
    )
