from django.urls import path

from semicluster.projects import views

app_name = "projects"
URL_PREFIX = "projects/"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("board/", views.project_board, name="board"),
    path("cohorts/", views.cohort_view, name="cohorts"),
    path("new/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/transition/", views.project_transition, name="transition"),
    path("<int:pk>/progress/", views.project_progress, name="progress"),
    path("<int:pk>/problems/", views.problem_add, name="problem_add"),
    path("problems/<int:pk>/resolve/", views.problem_resolve, name="problem_resolve"),
    path("tickets/", views.ticket_list, name="tickets"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket"),
]
