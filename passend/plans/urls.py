from passend.plans import views

app_name = "plans"

urlpatterns = [*views.urlpatterns]
