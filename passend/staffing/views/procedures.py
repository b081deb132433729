"""Staffing views: procedures."""

urlpatterns: list = []
