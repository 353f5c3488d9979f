from django.urls import path

from semicluster.reports import views

app_name = "reports"
URL_PREFIX = "reports/"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/edit/", views.report_edit, name="edit"),
    path("<int:pk>/transition/", views.report_transition, name="transition"),
    path("<int:pk>/draft.<str:fmt>", views.report_download, name="download"),
    path("<int:pk>/v<int:number>.<str:fmt>", views.version_download, name="version_download"),
]
