from django.urls import path

from .api import workdays_add_api

urlpatterns = [
    path("tools/workdays/add", workdays_add_api, name="api-workdays-add"),
]
