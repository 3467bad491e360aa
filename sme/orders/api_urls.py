from django.urls import path

from . import api

# API routes are named "api-orders-…" (no namespace, like the other apps).
urlpatterns = [
    path("orders", api.OrderListAPI.as_view(), name="api-orders-list"),
    path("orders/<int:order_id>", api.OrderDetailAPI.as_view(), name="api-orders-detail"),
    path("orders/<int:order_id>/rating", api.OrderRatingAPI.as_view(), name="api-orders-rating"),
    path(
        "providers/<int:provider_id>/figures",
        api.ProviderFiguresAPI.as_view(),
        name="api-orders-provider-figures",
    ),
]
