"""PLACEHOLDER module: the helper that owns it replaces every function below."""

from django.http import Http404
from django.urls import path


def profile_start(request, code=None):
    raise Http404


def profile_detail(request, code=None):
    raise Http404


def profile_rate(request, code=None):
    raise Http404


urlpatterns = [
    path("werkafspraken/<uuid:code>/competentieprofiel/", profile_start, name="profile_start"),
    path("competentieprofielen/<uuid:code>/", profile_detail, name="profile_detail"),
    path("competentieprofielen/<uuid:code>/beoordelen/", profile_rate, name="profile_rate"),
]
