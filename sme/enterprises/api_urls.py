from django.urls import path

from .tool_views import size_class_api

urlpatterns = [path("tools/size-class", size_class_api, name="api-size-class")]
