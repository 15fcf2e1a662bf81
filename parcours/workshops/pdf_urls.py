"""pdf views; included in the workshops namespace by urls.py."""

urlpatterns = []
