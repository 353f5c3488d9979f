from django.urls import path

from semicluster.monitoring import views

app_name = "monitoring"
URL_PREFIX = "monitoring/"
urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("<slug:goal>/<str:period>/city/", views.drilldown, {"scope_kind": "city"}, name="drilldown-city"),
    path("<slug:goal>/<str:period>/<str:scope_kind>/<slug:scope_key>/", views.drilldown, name="drilldown"),
]
