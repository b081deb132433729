from django.urls import path

from passend.organisations import team_views, views

app_name = "organisations"

urlpatterns = [
    path("partnerships/<uuid:code>/", views.partnership_detail, name="partnership_detail"),
    path("schools/", views.school_list, name="school_list"),
    path("schools/<uuid:code>/", views.school_detail, name="school_detail"),
    path("schools/<uuid:code>/sot/", team_views.support_team_page, name="support_team"),
    path(
        "schools/<uuid:code>/sot/overnemen/", team_views.support_team_copy, name="support_team_copy"
    ),
    path(
        "sot-leden/<uuid:code>/verwijderen/",
        team_views.support_team_member_remove,
        name="support_team_member_remove",
    ),
]
