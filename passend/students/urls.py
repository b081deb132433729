from passend.students import views

app_name = "students"

urlpatterns = [*views.urlpatterns]
