from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from passend.front.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("passend.accounts.urls")),
    path("", include("passend.organisations.urls")),
    path("", include("passend.quality.urls")),
    path("", include("passend.staffing.urls")),
    path("", include("passend.development.urls")),
    path("", include("passend.activities.urls")),
    path("", include("passend.agreements.urls")),
    path("", include("passend.students.urls")),
    path("", include("passend.caseload.urls")),
    path("", include("passend.privacy.urls")),
    path("", include("passend.plans.urls")),
    path("", include("passend.applications.urls")),
    path("", include("passend.transitions.urls")),
    path("", include("passend.due.urls")),
    path("", include("passend.front.urls")),
]

handler404 = "passend.front.errors.not_found"
handler403 = "passend.front.errors.forbidden"
handler500 = "passend.front.errors.server_error"
