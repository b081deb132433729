"""PLACEHOLDER module: the helper that owns it replaces every function below."""

from django.http import Http404
from django.urls import path


def my_agreements(request, code=None):
    raise Http404


def school_agreements(request, code=None):
    raise Http404


def agreement_create(request, code=None):
    raise Http404


def agreement_detail(request, code=None):
    raise Http404


def agreement_edit(request, code=None):
    raise Http404


def agreement_confirm(request, code=None):
    raise Http404


def agreement_acknowledge(request, code=None):
    raise Http404


def agreement_pdf(request, code=None):
    raise Http404


urlpatterns = [
    path("werkafspraken/mijn/", my_agreements, name="my_agreements"),
    path("school/<uuid:code>/werkafspraken/", school_agreements, name="school_agreements"),
    path("school/<uuid:code>/werkafspraken/nieuw/", agreement_create, name="agreement_create"),
    path("werkafspraken/<uuid:code>/", agreement_detail, name="agreement_detail"),
    path("werkafspraken/<uuid:code>/bewerken/", agreement_edit, name="agreement_edit"),
    path("werkafspraken/<uuid:code>/bevestigen/", agreement_confirm, name="agreement_confirm"),
    path("werkafspraken/<uuid:code>/gezien/", agreement_acknowledge, name="agreement_acknowledge"),
    path("werkafspraken/<uuid:code>/pdf/", agreement_pdf, name="agreement_pdf"),
]
