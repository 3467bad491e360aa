from django.urls import path

from . import views

app_name = "orders"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("new/<int:service_id>/", views.order_new, name="new"),
    path("flags/", views.flags, name="flags"),
    path("<int:order_id>/", views.order_detail, name="detail"),
    path("<int:order_id>/act/", views.order_act, name="act"),
    path("<int:order_id>/rate/", views.order_rate_view, name="rate"),
    path("<int:order_id>/reply/", views.rating_reply_view, name="reply"),
]
