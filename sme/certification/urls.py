from django.urls import path

from . import documents, lifecycle_views, public_views, selfcheck_views, views

app_name = "certification"

# --- application, review and schemes (lead) ---
urlpatterns = [
    path("", views.home, name="home"),
    path("review/", views.review_queue, name="queue"),
    path("expert/", views.expert_home, name="expert-home"),
    path("expert/conflicts/", views.expert_conflicts, name="expert-conflicts"),
    path("applications/new/", views.application_new, name="new"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/edit/", views.application_edit, name="edit"),
    path("applications/<int:pk>/eligibility/", views.application_eligibility, name="eligibility"),
    path("applications/<int:pk>/materials/<slug:slot>/", views.material_upload, name="material-upload"),
    path(
        "applications/<int:pk>/materials/<int:material_pk>/download/",
        views.material_download,
        name="material-download",
    ),
    path("applications/<int:pk>/submit/", views.application_submit, name="submit"),
    path("applications/<int:pk>/experts/", views.application_assign, name="assign"),
    path("applications/<int:pk>/review/", views.expert_review, name="expert-review"),
    path("applications/<int:pk>/grant/", views.application_grant, name="grant"),
    path("applications/<int:pk>/<slug:action>/", views.application_decide, name="decide"),
    path("objections/<int:pk>/resolve/", views.objection_resolve, name="objection-resolve"),
    path("schemes/", views.scheme_list, name="schemes"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme"),
    path("schemes/<int:pk>/copy/", views.scheme_copy, name="scheme-copy"),
    path("schemes/<int:pk>/revise/", views.scheme_revise, name="scheme-revise"),
]

# --- public register and notices ---
urlpatterns += [
    path("register/", public_views.register_list, name="register"),
    path("platforms/<str:key>/", public_views.platform_detail, name="platform"),
    path("platforms/<str:key>/certificate.pdf", public_views.platform_certificate, name="certificate"),
    path("notices/", public_views.notice_list, name="notices"),
    path("notices/<int:pk>/", public_views.notice_detail, name="notice"),
]

# --- documents ---
urlpatterns += [
    path("applications/export.xlsx", documents.applications_export, name="export"),
    path("applications/<int:pk>/dossier.pdf", documents.application_dossier, name="dossier"),
]

# --- self-check (eligibility) ---
urlpatterns += [path("self-check/", selfcheck_views.selfcheck_page, name="self-check")]

# --- after certification ---
urlpatterns += [
    path("certified/", lifecycle_views.certified_list, name="certified-list"),
    path("certified/<int:pk>/", lifecycle_views.certified_detail, name="certified"),
    path("certified/<int:pk>/summary/", lifecycle_views.summary_new, name="summary-new"),
    path("certified/<int:pk>/rereview/", lifecycle_views.rereview_open, name="rereview-open"),
    path("certified/<int:pk>/spot-check/", lifecycle_views.spot_check_new, name="spot-check-new"),
    path("certified/<int:pk>/revoke/", lifecycle_views.certification_revoke, name="revoke"),
    path("summaries/overdue/", lifecycle_views.overdue_summaries, name="overdue-summaries"),
    path("rereviews/", lifecycle_views.rereview_list, name="rereviews"),
    path("rereviews/<int:pk>/", lifecycle_views.rereview_detail, name="rereview"),
    path("rereviews/<int:pk>/total/", lifecycle_views.rereview_score_total, name="rereview-total"),
    path(
        "rereviews/<int:pk>/audit-report/",
        lifecycle_views.rereview_audit_report,
        name="rereview-audit-report",
    ),
    path("rereviews/<int:pk>/<slug:action>/", lifecycle_views.rereview_act, name="rereview-act"),
    path("spot-checks/", lifecycle_views.spot_check_list, name="spot-checks"),
    path("spot-checks/<int:pk>/", lifecycle_views.spot_check_detail, name="spot-check"),
    path("spot-checks/<int:pk>/rectify/", lifecycle_views.spot_check_rectify, name="spot-check-rectify"),
    path("spot-checks/<int:pk>/<slug:action>/", lifecycle_views.spot_check_act, name="spot-check-act"),
    path("announcements/", lifecycle_views.announcements, name="announcements"),
]
