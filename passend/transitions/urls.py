from passend.transitions import views

app_name = "transitions"

urlpatterns = [*views.urlpatterns]
