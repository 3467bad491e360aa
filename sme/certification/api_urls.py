from django.urls import path

from . import selfcheck_views

urlpatterns: list = []

# --- self-check (eligibility) ---
urlpatterns += [
    path("certification/schemes", selfcheck_views.SchemeListAPI.as_view(), name="api-certification-schemes"),
    path(
        "certification/schemes/<slug:code>",
        selfcheck_views.SchemeDetailAPI.as_view(),
        name="api-certification-scheme",
    ),
    path(
        "certification/schemes/<slug:code>/eligibility",
        selfcheck_views.SchemeEligibilityAPI.as_view(),
        name="api-certification-eligibility",
    ),
]
