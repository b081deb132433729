from passend.applications import views

app_name = "applications"

urlpatterns = [*views.urlpatterns]
