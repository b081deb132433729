"""Professional development views."""

urlpatterns: list = []
