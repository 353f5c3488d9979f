from django.urls import path

from semicluster.chain import views

app_name = "chain"
URL_PREFIX = "chain/"
urlpatterns = [
    path("", views.chain_map, name="map"),
    path("nodes/<slug:code>/", views.node_detail, name="node"),
    path("targets/", views.target_list, name="targets"),
    path("targets/new/", views.target_edit, name="target_new"),
    path("targets/<int:pk>/", views.target_detail, name="target_detail"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("targets/<int:pk>/advance/", views.target_advance, name="target_advance"),
    path("targets/<int:pk>/land/", views.target_land, name="target_land"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("gaps/", views.gaps, name="gaps"),
    path("communities/", views.community_list, name="communities"),
    path("communities/<int:pk>/", views.community_detail, name="community_detail"),
    path("layout/", views.layout, name="layout"),
]
