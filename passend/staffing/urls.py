from passend.staffing import views

app_name = "staffing"

urlpatterns = [*views.urlpatterns]
