from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("users/", views.staff_list, name="staff-list"),
    path("users/new/", views.staff_create, name="staff-create"),
    path("users/<int:pk>/<str:action>/", views.staff_action, name="staff-action"),
]
