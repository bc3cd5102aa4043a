"""The public front door: the service list (the home page of logged-out visitors, and
``/services/`` for everyone) and each service's 办事指南 at ``/guide/<key>/``. No login:
what a service needs, costs and takes is public information."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from zonegov.core.services_catalogue import grouped_services, public_service


def service_list(request: HttpRequest) -> HttpResponse:
    groups = [
        (heading, [(service, service.start_link(request.user)) for service in services])
        for heading, services in grouped_services()
    ]
    return render(request, "core/front/services.html", {"groups": groups})


def service_guide(request: HttpRequest, key: str) -> HttpResponse:
    service = public_service(key)
    if service is None:
        raise Http404("没有这项服务。")
    return render(
        request,
        "core/front/guide.html",
        {
            "service": service,
            "guide": service.guide(),
            "start_link": service.start_link(request.user),
        },
    )


urlpatterns = [
    path("services/", service_list, name="service_list"),
    path("guide/<str:key>/", service_guide, name="service_guide"),
]
