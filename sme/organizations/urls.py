from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("", views.organization_list, name="list"),
    path("mine/", views.my_organizations, name="mine"),
    path("claims/", views.claims, name="claims"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/edit/", views.organization_edit, name="edit"),
    path("<int:pk>/members/", views.organization_members, name="members"),
    path("<int:pk>/members/<int:membership_pk>/decide/", views.membership_decide, name="membership-decide"),
    path("<int:pk>/<str:action>/", views.organization_transition, name="transition"),
]
