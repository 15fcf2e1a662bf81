"""Report exports; included in the reports namespace by urls.py."""

urlpatterns = []
