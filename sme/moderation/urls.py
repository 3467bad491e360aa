from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("report/<slug:kind>/<int:target_id>/", views.report, name="report"),
    path("reports/<int:pk>/<slug:decision>/", views.decide, name="decide"),
]
