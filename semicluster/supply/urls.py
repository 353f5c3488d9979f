from django.urls import path

from semicluster.supply import views

app_name = "supply"
URL_PREFIX = "supply/"
urlpatterns = [
    path("", views.analysis, name="analysis"),
    path("answers/", views.answer_list, name="answers"),
    path("answers/new/", views.answer_edit, name="answer_new"),
    path("answers/<int:pk>/", views.answer_edit, name="answer_edit"),
    path("answers/<int:pk>/delete/", views.answer_delete, name="answer_delete"),
    path("network/", views.network, name="network"),
]
