app_name = "due"

urlpatterns: list = []
