app_name = "transitions"

urlpatterns: list = []
