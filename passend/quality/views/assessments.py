"""Quality framework views: assessments."""

urlpatterns: list = []
