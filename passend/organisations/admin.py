from django.contrib import admin

from passend.organisations.models import (
    Enrollment,
    Partnership,
    School,
    SchoolBoard,
    SchoolYear,
    SupportTeam,
    SupportTeamMember,
)


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "duo_number"]
    search_fields = ["name", "duo_number"]


@admin.register(SchoolBoard)
class SchoolBoardAdmin(admin.ModelAdmin):
    list_display = ["duo_number", "name"]
    search_fields = ["duo_number", "name"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "location_code", "town", "partnership"]
    list_filter = ["partnership"]
    search_fields = ["name", "location_code", "town"]
    list_select_related = ["partnership"]


admin.site.register(SchoolYear)


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["school", "school_year", "student_count", "source"]
    list_select_related = ["school", "school_year"]


class SupportTeamMemberInline(admin.TabularInline):
    model = SupportTeamMember
    extra = 0
    fields = ["name", "function", "domain", "organisation", "user", "school"]


@admin.register(SupportTeam)
class SupportTeamAdmin(admin.ModelAdmin):
    list_display = ["school", "school_year"]
    inlines = [SupportTeamMemberInline]
