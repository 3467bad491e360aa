from django.urls import path  # noqa: F401

# API routes are named "api-tickets-…" (no namespace, like the other apps).
urlpatterns: list = []
