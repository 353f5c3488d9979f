from django.urls import path

from semicluster.cultivation import views

app_name = "cultivation"
URL_PREFIX = "cultivation/"
urlpatterns = [
    path("", views.tiers, name="tiers"),
    path("watch/", views.watch, name="watch"),
    path("designations/", views.designations, name="designations"),
    path("designations/grant/", views.designation_grant_view, name="designation_grant"),
    path("designations/<int:pk>/edit/", views.designation_edit, name="designation_edit"),
    path("library/", views.library, name="library"),
    path("library/rounds/", views.rounds, name="rounds"),
    path("library/rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("library/rounds/<int:pk>/score/", views.round_score, name="round_score"),
    path("library/rounds/<int:pk>/publish/", views.round_publish, name="round_publish"),
    path("library/rounds/<int:pk>/apply/", views.apply, name="apply"),
    path("library/candidates/<int:pk>/", views.candidate, name="candidate"),
    path("library/candidates/<int:pk>/adjust/", views.candidate_adjust, name="candidate_adjust"),
    path("library/candidates/<int:pk>/decide/", views.candidate_decide, name="candidate_decide"),
    path("library/reviews/", views.reviews, name="reviews"),
    path("library/reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("library/flags/<int:pk>/resolve/", views.flag_resolve, name="flag_resolve"),
]
