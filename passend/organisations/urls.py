from django.urls import path

from passend.organisations import views

app_name = "organisations"

urlpatterns = [
    path("partnerships/<uuid:code>/", views.partnership_detail, name="partnership_detail"),
    path("schools/", views.school_list, name="school_list"),
    path("schools/<uuid:code>/", views.school_detail, name="school_detail"),
]
