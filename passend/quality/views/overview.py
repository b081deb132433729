"""Quality framework views: overview."""

urlpatterns: list = []
