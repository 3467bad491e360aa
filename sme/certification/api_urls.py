from django.urls import path

from . import api

urlpatterns: list = []

# --- self-check (eligibility) ---
urlpatterns += [
    path("certification/schemes", api.SchemeListAPI.as_view(), name="api-certification-schemes"),
    path("certification/schemes/<slug:code>", api.SchemeDetailAPI.as_view(), name="api-certification-scheme"),
    path(
        "certification/schemes/<slug:code>/eligibility",
        api.SchemeEligibilityAPI.as_view(),
        name="api-certification-eligibility",
    ),
]
