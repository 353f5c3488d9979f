from django.urls import path

from semicluster.enterprises import views

app_name = "enterprises"
URL_PREFIX = "enterprises/"
urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
]
