from passend.agreements import views

app_name = "agreements"

urlpatterns = [*views.urlpatterns]
