from passend.caseload import views

app_name = "caseload"

urlpatterns = [*views.urlpatterns]
