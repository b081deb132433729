"""students views (URL namespace ``students``); every lookup goes through passend.students.access
and every read of student data writes an audit event (passend.privacy.audit.record_view)."""

from passend.students.views import roster, students

urlpatterns: list = [
    *students.urlpatterns,
    *roster.urlpatterns,
]
