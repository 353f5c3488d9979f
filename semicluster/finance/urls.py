from django.urls import path

from semicluster.finance import views

app_name = "finance"
URL_PREFIX = "finance/"
urlpatterns = [
    path("", views.index, name="index"),  # /finance/ (as the README and officials type it)
    path("needs/", views.needs, name="needs"),
    path("needs/new/", views.need_edit, name="need_new"),
    path("needs/<int:pk>/", views.need_edit, name="need_edit"),
    path("listings/", views.listings, name="listings"),
    path("listings/new/", views.listing_edit, name="listing_new"),
    path("listings/<int:pk>/", views.listing_edit, name="listing_edit"),
]
