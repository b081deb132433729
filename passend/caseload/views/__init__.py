"""caseload views (URL namespace ``caseload``); every lookup goes through passend.caseload.access
and every read of student data writes an audit event (passend.privacy.audit.record_view)."""

from passend.caseload.views import approaches, cases, consent, meetings

urlpatterns: list = [
    *cases.urlpatterns,
    *approaches.urlpatterns,
    *consent.urlpatterns,
    *meetings.urlpatterns,
]
