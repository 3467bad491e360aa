from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static as static_url
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from sme.enterprises.tool_views import size_class_tool_page
from sme.organizations.tool_views import uscc_tool_page

api_v1 = [
    path("", include("sme.organizations.api_urls")),
    path("", include("sme.accounts.api_urls")),
    path("", include("sme.regions.api_urls")),
    path("", include("sme.enterprises.api_urls")),
    path("", include("sme.workdays.api_urls")),
    path("", include("sme.certification.api_urls")),
    path("", include("sme.assessment.api_urls")),
    path("", include("sme.catalog.api_urls")),
    path("", include("sme.orders.api_urls")),
    path("", include("sme.demands.api_urls")),
    path("", include("sme.tickets.api_urls")),
    path("", include("sme.moderation.api_urls")),
]


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the static file (its URL
    carries the content hash in production, so the redirect itself is only cached for a day)."""
    response = HttpResponseRedirect(static_url("favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


# The API comes first: programs call it far more often than people open pages, and Django tries
# the patterns in order.
urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("", include("sme.core.urls")),
    path("favicon.ico", favicon, name="favicon"),
    path("tools/uscc/", uscc_tool_page, name="uscc-tool"),
    path("tools/size-class/", size_class_tool_page, name="size-class-tool"),
    path("accounts/", include("sme.accounts.urls")),
    path("organizations/", include("sme.organizations.urls")),
    path("enterprises/", include("sme.enterprises.urls")),
    path("certification/", include("sme.certification.urls")),
    path("assessment/", include("sme.assessment.urls")),
    path("catalog/", include("sme.catalog.urls")),
    path("orders/", include("sme.orders.urls")),
    path("demands/", include("sme.demands.urls")),
    path("tickets/", include("sme.tickets.urls")),
    path("moderation/", include("sme.moderation.urls")),
    path("audit/", include("sme.core.audit_urls")),
    path("files/", include("sme.core.file_urls")),
    path("notifications/", include("sme.notifications.urls")),
    path("exports/", include("sme.exports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

# Stored files are never served from MEDIA_ROOT, not even under DEBUG (make run): only the views that
# check the caller's right to the owning record hand them out (sme.core.files, files:download).

handler403 = "sme.core.views.permission_denied"
