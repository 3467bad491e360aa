from django.urls import path

from . import api

# API routes are named "api-demands-…" (no namespace, like the other apps).
urlpatterns = [
    path("demands", api.DemandListAPI.as_view(), name="api-demands-list"),
    path("demands/<int:pk>", api.DemandDetailAPI.as_view(), name="api-demands-detail"),
]
