from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.home, name="home"),
    path("responses/", views.response_list, name="responses"),
    path("start/<slug:code>/", views.start, name="start"),
    path("<int:pk>/fill/<int:page>/", views.fill, name="fill"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/delete/", views.delete_draft, name="delete"),
    path("<int:pk>/", views.report, name="report"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report-pdf"),
    path("<int:pk>/verify/", views.verify, name="verify"),
]
