"""Public pages, no login: the register of certified platforms (第十二条), a platform's page and its
certificate, and the revocation announcements (第十四条、第十五条).

Everything here is public by the scheme's own terms, so these views apply no user scope; what may be
shown is decided by the selectors (the register lists titles in force only) and by what the templates
choose to show.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from sme.core.pagination import paginate
from sme.core.pdf import PDF_CONTENT_TYPE

from .. import documents
from ..forms.register import RegisterFilterForm
from ..selectors import register as selectors
from ..selectors import titles as title_selectors

REGISTER_PER_PAGE = 20
ANNOUNCEMENTS_PER_PAGE = 20
CERTIFICATE_CACHE_SECONDS = 24 * 3600


@require_GET
def register_list(request: HttpRequest) -> HttpResponse:
    """The register (第十二条): titles in force, newest first, filtered by place, category, scheme, year."""
    form = RegisterFilterForm(request.GET or None)
    page = paginate(
        selectors.register_page(**form.filters()), request.GET.get("page"), per_page=REGISTER_PER_PAGE
    )
    entries = [(c, selectors.category_labels(c), selectors.platform_url(c)) for c in page.items]
    partial = bool(request.headers.get("HX-Request"))
    response = render(
        request,
        "certification/public/_register_results.html" if partial else "certification/public/register.html",
        {"form": form, "page": page, "entries": entries},
    )
    patch_vary_headers(response, ["HX-Request"])  # a cached partial must not stand in for the page
    return response


@require_GET
def platform_detail(request: HttpRequest, key: str) -> HttpResponse:
    """A platform's page: public whatever its status; revoked and expired titles say so plainly."""
    certification = selectors.certification_by_key(key)
    canonical = selectors.platform_key(certification)
    if key != canonical:
        return redirect("certification:platform", key=canonical, permanent=True)
    return render(
        request,
        "certification/public/platform.html",
        {
            "cert": certification,
            "key": canonical,
            "categories": selectors.category_labels(certification),
            "in_force": certification.in_force,
            "history": title_selectors.certification_history(certification),
        },
    )


@require_GET
def platform_certificate(request: HttpRequest, key: str) -> HttpResponse:
    """The certificate as PDF. A revoked or expired title's certificate is still served, marked across
    the page, so that anyone holding a copy can check what it is worth."""
    certification = selectors.certification_by_key(key)
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
    # Inline: the public page offers it to view and check; saved, it keeps its Chinese name (RFC 5987).
    response = HttpResponse(pdf, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = documents.content_disposition(
        documents.certificate_file_name(certification), attachment=False
    )
    return response


@require_GET
def announcements(request: HttpRequest) -> HttpResponse:
    """Public: revoked titles with date, basis, reason and number (第十四条、第十五条). No login."""
    page = paginate(title_selectors.revocations(), request.GET.get("page"), ANNOUNCEMENTS_PER_PAGE)
    return render(request, "certification/lifecycle/announcements.html", {"page": page})
