"""Production URLs plus the minimal view the pages' throughput is divided by."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from parcours.urls import urlpatterns as parcours_urlpatterns


@login_not_required
def minimal(request):
    """The cheapest page the same server and middleware can serve."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal), *parcours_urlpatterns]
