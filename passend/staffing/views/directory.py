"""Staffing views: directory."""

urlpatterns: list = []
