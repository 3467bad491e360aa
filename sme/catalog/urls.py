from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("", views.catalogue, name="index"),
    path("services/<int:pk>/", views.service_detail, name="service"),
    path("providers/<int:org_id>/", views.provider_detail, name="provider"),
    # the provider's side
    path("mine/", views.mine, name="mine"),
    path("mine/new/", views.service_new, name="new"),
    path("mine/<int:pk>/", views.service_manage, name="manage"),
    path("mine/<int:pk>/edit/", views.service_edit, name="edit"),
    path("mine/<int:pk>/revisions/", views.service_revisions, name="revisions"),
    path("mine/<int:pk>/attachments/", views.attachment_upload, name="attachment-upload"),
    path(
        "mine/<int:pk>/attachments/<int:attachment_pk>/remove/",
        views.attachment_remove,
        name="attachment-remove",
    ),
    path("mine/<int:pk>/<slug:action>/", views.service_act, name="act"),
    # the officers' side
    path("review/", views.review_queue, name="review"),
    path("review/revisions/<int:pk>/", views.review_revision, name="review-revision"),
]
