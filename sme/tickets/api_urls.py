from django.urls import path

from . import api

# API routes are named "api-tickets-…" (no namespace, like the other apps).
urlpatterns = [
    path("tickets", api.TicketListAPI.as_view(), name="api-tickets-list"),
    path("tickets/figures", api.TicketFiguresAPI.as_view(), name="api-tickets-figures"),
]
