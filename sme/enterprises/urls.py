from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("mine/", views.my_enterprises, name="mine"),
    path("industry-codes/", views.industry_search, name="industry-search"),
    path("imports/", views.import_list, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import-progress"),
    path("imports/<int:pk>/report/", views.import_report, name="import-report"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/profile/", views.profile_edit, name="profile-edit"),
    path("<int:pk>/figures/", views.figures_edit, name="figures-edit"),
]
