from django.urls import path, re_path

from . import api
from .tool_views import uscc_check_api

urlpatterns = [
    # Any text after the prefix is checked, slashes included: the tool never answers 404.
    re_path(r"^tools/uscc/(?P<code>(?s:.*))$", uscc_check_api, name="api-uscc-check"),
    path("organizations/", api.OrganizationListAPI.as_view(), name="api-organization-list"),
    path("organizations/<int:pk>/", api.OrganizationDetailAPI.as_view(), name="api-organization-detail"),
    path(
        "organizations/<int:pk>/<str:action>/",
        api.OrganizationTransitionAPI.as_view(),
        name="api-organization-transition",
    ),
]
