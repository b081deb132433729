"""PLACEHOLDER module: the helper that owns it replaces every function below."""

from django.http import Http404
from django.urls import path


def evaluation_create(request, code=None):
    raise Http404


def evaluation_detail(request, code=None):
    raise Http404


def evaluation_edit(request, code=None):
    raise Http404


def evaluation_finalise(request, code=None):
    raise Http404


def evaluation_pdf(request, code=None):
    raise Http404


urlpatterns = [
    path(
        "werkafspraken/<uuid:code>/evaluaties/nieuw/", evaluation_create, name="evaluation_create"
    ),
    path("evaluaties/<uuid:code>/", evaluation_detail, name="evaluation_detail"),
    path("evaluaties/<uuid:code>/bewerken/", evaluation_edit, name="evaluation_edit"),
    path("evaluaties/<uuid:code>/vaststellen/", evaluation_finalise, name="evaluation_finalise"),
    path("evaluaties/<uuid:code>/pdf/", evaluation_pdf, name="evaluation_pdf"),
]
