from django.urls import path

from .views import (
    applications,
    documents,
    notices,
    register,
    rereviews,
    reviews,
    schemes,
    selfcheck,
    spot_checks,
    titles,
)

app_name = "certification"

# --- applications and their review ---
urlpatterns = [
    path("", applications.home, name="home"),
    path("review/", reviews.review_queue, name="queue"),
    path("expert/", reviews.expert_home, name="expert-home"),
    path("expert/conflicts/", reviews.expert_conflicts, name="expert-conflicts"),
    path("applications/new/", applications.application_new, name="new"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path("applications/<int:pk>/edit/", applications.application_edit, name="edit"),
    path("applications/<int:pk>/eligibility/", applications.application_eligibility, name="eligibility"),
    path(
        "applications/<int:pk>/materials/<slug:slot>/", applications.material_upload, name="material-upload"
    ),
    path("applications/<int:pk>/submit/", applications.application_submit, name="submit"),
    path("applications/<int:pk>/experts/", reviews.application_assign, name="assign"),
    path("applications/<int:pk>/review/", reviews.expert_review, name="expert-review"),
    path("applications/<int:pk>/grant/", titles.application_grant, name="grant"),
    path("applications/<int:pk>/<slug:action>/", applications.application_decide, name="decide"),
    path("objections/<int:pk>/resolve/", notices.objection_resolve, name="objection-resolve"),
    path("schemes/", schemes.scheme_list, name="schemes"),
    path("schemes/<int:pk>/", schemes.scheme_detail, name="scheme"),
    path("schemes/<int:pk>/copy/", schemes.scheme_copy, name="scheme-copy"),
    path("schemes/<int:pk>/revise/", schemes.scheme_revise, name="scheme-revise"),
]

# --- public register and notices ---
urlpatterns += [
    path("register/", register.register_list, name="register"),
    path("platforms/<str:key>/", register.platform_detail, name="platform"),
    path("platforms/<str:key>/certificate.pdf", register.platform_certificate, name="certificate"),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice"),
]

# --- documents ---
urlpatterns += [
    path("applications/export.xlsx", documents.applications_export, name="export"),
    path("applications/<int:pk>/dossier.pdf", documents.application_dossier, name="dossier"),
]

# --- self-check (eligibility) ---
urlpatterns += [path("self-check/", selfcheck.selfcheck_page, name="self-check")]

# --- after certification ---
urlpatterns += [
    path("certified/", titles.certified_list, name="certified-list"),
    path("certified/<int:pk>/", titles.certified_detail, name="certified"),
    path("certified/<int:pk>/summary/", titles.summary_new, name="summary-new"),
    path("certified/<int:pk>/rereview/", titles.rereview_open, name="rereview-open"),
    path("certified/<int:pk>/spot-check/", spot_checks.spot_check_new, name="spot-check-new"),
    path("certified/<int:pk>/revoke/", titles.certification_revoke, name="revoke"),
    path("summaries/overdue/", titles.overdue_summaries, name="overdue-summaries"),
    path("rereviews/", rereviews.rereview_list, name="rereviews"),
    path("rereviews/<int:pk>/", rereviews.rereview_detail, name="rereview"),
    path("rereviews/<int:pk>/total/", rereviews.rereview_score_total, name="rereview-total"),
    path("rereviews/<int:pk>/<slug:action>/", rereviews.rereview_act, name="rereview-act"),
    path("spot-checks/", spot_checks.spot_check_list, name="spot-checks"),
    path("spot-checks/<int:pk>/", spot_checks.spot_check_detail, name="spot-check"),
    path("spot-checks/<int:pk>/rectify/", spot_checks.spot_check_rectify, name="spot-check-rectify"),
    path("spot-checks/<int:pk>/<slug:action>/", spot_checks.spot_check_act, name="spot-check-act"),
    path("announcements/", register.announcements, name="announcements"),
]
