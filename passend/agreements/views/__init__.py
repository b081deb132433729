"""Werkafspraken views (URL namespace ``agreements``): task descriptions and the competency set
(descriptions), werkafspraken (agreements), evaluations and competency profiles (evaluations,
profiles). Every change is a call of passend.agreements.services; every lookup goes through
passend.agreements.access."""

from passend.agreements.views import agreements, descriptions, evaluations, profiles

urlpatterns: list = [
    *descriptions.urlpatterns,
    *agreements.urlpatterns,
    *evaluations.urlpatterns,
    *profiles.urlpatterns,
]
