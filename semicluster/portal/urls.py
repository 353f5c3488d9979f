"""The public portal: no log-in, only published and disclosure-controlled data (ADR 0009)."""

from django.urls import path

from semicluster.portal import views

app_name = "portal"
URL_PREFIX = "public/"
urlpatterns = [
    path("", views.home, name="home"),
    path("reports/<int:year>/", views.report, name="report"),
    path("reports/<int:year>/v<int:number>/", views.report_version, name="report_version"),
    path("reports/<int:year>/v<int:number>.<str:fmt>", views.download, name="download"),
    path("data/", views.data, name="data"),
    path("methodology/", views.methodology, name="methodology"),
    path("opendata/", views.opendata_index, name="opendata"),
    path("opendata/datapackage.json", views.datapackage, name="datapackage"),
    path("opendata/catalog.jsonld", views.catalog, name="catalog"),
    path("opendata/data/<slug:name>.csv", views.csv_file, name="csv"),
]
