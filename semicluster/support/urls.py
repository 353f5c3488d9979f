from django.urls import path

from semicluster.support import views

app_name = "support"
URL_PREFIX = "support/"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("apply/", views.application_create, name="create"),
    path("ledger/", views.ledger, name="ledger"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
    path("<int:pk>/submit/", views.application_submit, name="submit"),
    path("<int:pk>/pre-review/", views.application_pre_review, name="pre_review"),
    path("<int:pk>/review/", views.application_review, name="review"),
    path("<int:pk>/decide/", views.application_decide, name="decide"),
    path("<int:pk>/override/", views.application_override, name="override"),
    path("<int:pk>/disburse/", views.application_disburse, name="disburse"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/remove/", views.attachment_remove, name="attachment_remove"
    ),
]
