from django.urls import path

from semicluster.accountability import views

app_name = "accountability"
URL_PREFIX = "tasks/"
urlpatterns = [
    path("", views.item_list, name="items"),
    path("sync/", views.items_sync, name="sync"),
    path("<int:pk>/", views.item_detail, name="item"),
    path("<int:pk>/report/", views.item_report, name="report"),
    path("<int:pk>/decompose/", views.item_decompose, name="decompose"),
    path("<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("updates/<int:pk>/evidence/", views.update_evidence, name="evidence"),
    path("silent/", views.silent, name="silent"),
    path("silent/escalate/", views.escalate, name="escalate"),
    path("escalations/<int:pk>/reply/", views.escalation_reply, name="reply"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("decisions/<int:pk>/track/", views.decision_track, name="track"),
    path("bulletins/", views.bulletin_list, name="bulletins"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/<str:fmt>/", views.bulletin_download, name="bulletin_download"),
    path("assessment/", views.assessment, name="assessment"),
    path("assessment.xlsx", views.assessment_export, name="assessment_export"),
]
