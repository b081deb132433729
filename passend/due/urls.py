from passend.due import views

app_name = "due"

urlpatterns = [*views.urlpatterns]
