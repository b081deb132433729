"""Activity log views."""

urlpatterns: list = []
