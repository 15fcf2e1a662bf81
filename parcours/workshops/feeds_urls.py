"""Calendar feeds; included in the workshops namespace by urls.py."""

from django.urls import path

from . import feed_views

urlpatterns = [
    path("agenda/", feed_views.feeds, name="feeds"),
    path("agenda/nouveau/", feed_views.feed_create, name="feed_create"),
    path("agenda/<int:pk>/revoquer/", feed_views.feed_revoke, name="feed_revoke"),
    path("agenda/<str:token>.ics", feed_views.feed, name="feed"),
]
