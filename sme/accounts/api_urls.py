from django.urls import path

from . import api

urlpatterns = [
    path("auth/token/", api.TokenAPI.as_view(), name="api-token"),
    path("me/", api.MeAPI.as_view(), name="api-me"),
]
