from passend.quality.views import assessments, frameworks, overview

app_name = "quality"

urlpatterns = [*frameworks.urlpatterns, *assessments.urlpatterns, *overview.urlpatterns]
