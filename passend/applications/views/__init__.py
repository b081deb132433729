"""applications views (URL namespace ``applications``); every lookup goes through
passend.applications.access and every read of student data writes an audit event
(passend.privacy.audit.record_view)."""

from passend.applications.views import applications, swv

urlpatterns: list = [*applications.urlpatterns, *swv.urlpatterns]
