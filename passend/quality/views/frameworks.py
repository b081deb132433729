"""Quality framework views: frameworks."""

urlpatterns: list = []
