from django.urls import path

from . import api

urlpatterns = [path("regions/districts/", api.district_list, name="api-district-list")]
