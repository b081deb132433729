"""Staffing views: hours."""

urlpatterns: list = []
