from django.urls import path  # noqa: F401

# API routes are named "api-catalog-…" (no namespace, like the other apps).
urlpatterns: list = []
