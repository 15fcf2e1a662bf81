"""relays views; included in the pathways namespace by urls.py."""

urlpatterns = []
