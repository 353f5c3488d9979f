from django.urls import path

from semicluster.intake import views

app_name = "intake"
URL_PREFIX = "intake/"
urlpatterns = [
    path("", views.home, name="home"),
    path("upload/", views.upload, name="upload"),
    path("batches/", views.batch_list, name="batches"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/commit/", views.batch_commit, name="commit"),
    path("batches/<int:pk>/revert/", views.batch_revert, name="revert"),
    path("batches/<int:pk>/errors.xlsx", views.batch_errors, name="errors"),
    path("templates/<slug:dataset>.xlsx", views.template_download, name="template"),
    path("export/enterprises.<str:fmt>", views.export_enterprises, name="export_enterprises"),
]
