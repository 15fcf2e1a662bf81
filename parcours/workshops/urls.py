from . import feeds_urls, pdf_urls, stats_urls

app_name = "workshops"

urlpatterns = []
urlpatterns += pdf_urls.urlpatterns + feeds_urls.urlpatterns + stats_urls.urlpatterns
