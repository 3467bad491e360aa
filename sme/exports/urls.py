from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("", views.mine, name="list"),
    path("<int:job_id>/", views.detail, name="detail"),
    path("new/<slug:kind>/", views.start, name="start"),
]
