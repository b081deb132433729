"""Staffing views: assignments."""

urlpatterns: list = []
