"""Staffing views by topic: assignments and qualifications, appointment procedures, directory,
hours. Each module defines its own ``urlpatterns``."""

from passend.staffing.views import assignments, directory, hours, procedures

urlpatterns = [
    *assignments.urlpatterns,
    *procedures.urlpatterns,
    *directory.urlpatterns,
    *hours.urlpatterns,
]
