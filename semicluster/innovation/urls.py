from django.urls import path

from semicluster.innovation import views

app_name = "innovation"
URL_PREFIX = "innovation/"
urlpatterns = [
    path("", views.coverage, name="coverage"),
    path("projects/", views.projects, name="projects"),
    path("projects/new/", views.project_edit, name="project_new"),
    path("projects/<int:pk>/", views.project_edit, name="project_edit"),
    path("platforms/", views.platforms, name="platforms"),
    path("platforms/<int:pk>/", views.platform_detail, name="platform_detail"),
]
