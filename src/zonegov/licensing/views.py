from django.http import HttpResponse
from django.urls import path


def _stub(request, pk=None):
    return HttpResponse("")


urlpatterns: list = [
    path("applications/<int:pk>/", _stub, name="application_detail"),
    path("licences/<int:pk>/", _stub, name="licence_detail"),
    path("mine/", _stub, name="my_applications"),
    path("workbench/", _stub, name="workbench"),
]
