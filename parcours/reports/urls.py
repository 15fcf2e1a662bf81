from . import export_urls

app_name = "reports"

urlpatterns = []
urlpatterns += export_urls.urlpatterns
