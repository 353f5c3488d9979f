from django.urls import path

from semicluster.plans import views

app_name = "plans"
URL_PREFIX = "plan/"
urlpatterns = [
    path("", views.plan_overview, name="overview"),
    path("versions/<int:pk>/", views.plan_version, name="version"),
    path("schema.json", views.plan_schema, name="schema"),
]
