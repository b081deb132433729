from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from passend.accounts.models import Membership, User

# Django admin is for technical maintenance by superusers only (not for staff without it).
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["partnership", "school"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_superuser"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["code", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["code", "email", "full_name", "password"]}),
        (
            "Status",
            {"fields": ["is_active", "is_staff", "is_superuser", "last_login", "date_joined"]},
        ),
    ]
    add_fieldsets = [(None, {"fields": ["email", "full_name", "password1", "password2"]})]
    filter_horizontal: list[str] = []
    list_filter = ["is_active", "is_superuser"]
    inlines = [MembershipInline]
