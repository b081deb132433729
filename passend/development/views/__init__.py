"""Professional development views (URL namespace ``development``)."""

from passend.development.views import events, records

urlpatterns: list = [*events.urlpatterns, *records.urlpatterns]
