from django.urls import path

from . import views

app_name = "tickets"

urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("new/", views.ticket_new, name="new"),
    path("figures/", views.figures, name="figures"),
    path("<int:pk>/", views.ticket_detail, name="detail"),
    path("<int:pk>/rate/", views.ticket_rate, name="rate"),
    path("<int:pk>/<slug:action>/", views.ticket_act, name="act"),
]
