"""PLACEHOLDER module: the helper that owns it replaces every function below."""

from django.http import Http404
from django.urls import path


def template_detail(request, code=None):
    raise Http404


def template_edit(request, code=None):
    raise Http404


def school_description(request, code=None):
    raise Http404


def school_description_adopt(request, code=None):
    raise Http404


def school_description_edit(request, code=None):
    raise Http404


def competency_set(request, code=None):
    raise Http404


def competency_set_edit(request, code=None):
    raise Http404


urlpatterns = [
    path("swv/<uuid:code>/taakomschrijving/", template_detail, name="template_detail"),
    path("swv/<uuid:code>/taakomschrijving/bewerken/", template_edit, name="template_edit"),
    path("school/<uuid:code>/taakomschrijving/", school_description, name="school_description"),
    path(
        "school/<uuid:code>/taakomschrijving/overnemen/",
        school_description_adopt,
        name="school_description_adopt",
    ),
    path(
        "school/<uuid:code>/taakomschrijving/bewerken/",
        school_description_edit,
        name="school_description_edit",
    ),
    path("swv/<uuid:code>/competenties/", competency_set, name="competency_set"),
    path("swv/<uuid:code>/competenties/bewerken/", competency_set_edit, name="competency_set_edit"),
]
