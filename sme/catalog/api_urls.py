from django.urls import path

from . import api

# API routes are named "api-catalog-…" (no namespace, like the other apps).
urlpatterns: list = [
    path("catalog/services", api.CatalogueAPI.as_view(), name="api-catalog-services"),
    path("catalog/services/<int:pk>", api.ServiceDetailAPI.as_view(), name="api-catalog-service"),
    path("catalog/categories", api.CategoriesAPI.as_view(), name="api-catalog-categories"),
]
