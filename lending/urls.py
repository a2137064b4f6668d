from django.urls import path

from . import views

app_name = "lending"

urlpatterns = [
    path("participants/", views.participant_list, name="participant_list"),
    path("participants/<int:pk>/", views.participant_detail, name="participant_detail"),
]
