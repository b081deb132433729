from passend.development import views

app_name = "development"

urlpatterns = [*views.urlpatterns]
