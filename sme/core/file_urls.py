from django.urls import path
from django.views.decorators.http import require_GET

from . import files

app_name = "files"
urlpatterns = [
    path("<str:kind>/<int:pk>/", require_GET(files.download), name="download"),
]
