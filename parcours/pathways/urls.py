from . import assessments_urls, relays_urls, report_urls

app_name = "pathways"

urlpatterns = []
urlpatterns += assessments_urls.urlpatterns + relays_urls.urlpatterns + report_urls.urlpatterns
