from django.urls import path

from . import views

app_name = "demands"
urlpatterns = [
    path("", views.demand_list, name="list"),
    path("mine/", views.demand_mine, name="mine"),
    path("new/", views.demand_new, name="new"),
    path("<int:pk>/", views.demand_detail, name="detail"),
    path("<int:pk>/proposal/", views.proposal_save, name="proposal-save"),
    path("<int:pk>/hide/", views.demand_hide, name="hide"),
    path("<int:pk>/unhide/", views.demand_unhide, name="unhide"),
    path("<int:pk>/<slug:action>/", views.demand_act, name="act"),
    path("proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="proposal-withdraw"),
    path("proposals/<int:pk>/shortlist/", views.proposal_shortlist, name="proposal-shortlist"),
    path("proposals/<int:pk>/accept/", views.proposal_accept, name="proposal-accept"),
]
