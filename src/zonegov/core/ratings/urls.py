from django.urls import path

from zonegov.core.ratings import views

app_name = "ratings"

urlpatterns = [
    path("", views.rating_list, name="list"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification"),
    path(
        "rectifications/<int:pk>/answer/", views.rectification_answer, name="rectification_answer"
    ),
    path(
        "rectifications/<int:pk>/callback/",
        views.rectification_callback,
        name="rectification_callback",
    ),
    path("<slug:service>/<str:reference>/", views.rate, name="rate"),
]
