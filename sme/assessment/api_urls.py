from django.urls import path

from . import api

urlpatterns = [
    path(
        "assessment/questionnaires",
        api.QuestionnaireListAPI.as_view(),
        name="api-assessment-questionnaires",
    ),
    path(
        "assessment/questionnaires/<slug:code>",
        api.QuestionnaireDetailAPI.as_view(),
        name="api-assessment-questionnaire",
    ),
    path(
        "assessment/questionnaires/<slug:code>/score",
        api.QuestionnaireScoreAPI.as_view(),
        name="api-assessment-score",
    ),
    path(
        "assessment/responses/<int:pk>",
        api.ResponseDetailAPI.as_view(),
        name="api-assessment-response",
    ),
]
