"""Calendar feeds: a secret .ics address per facilitator or per workshop, which a phone's
calendar subscribes to, and the page where staff create and revoke them."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.timezone import localdate
from django.views.decorators.http import require_POST, require_safe

from parcours import policy

from .enums import SessionStatus
from .models import CalendarFeed, Workshop

PARIS = ZoneInfo(settings.TIME_ZONE)
# A hint of how often to fetch the feed again; most calendar apps keep their own pace.
REFRESH = datetime.timedelta(hours=1)


@login_not_required
@require_safe
def feed(request, token):
    """The .ics file. An unknown token, a revoked feed and the feed of a disabled account
    all get the same 404, so that tokens cannot be probed."""
    feed = get_object_or_404(
        CalendarFeed.objects.live()
        .filter(Q(owner__isnull=True) | Q(owner__is_active=True))
        .select_related("centre", "workshop"),
        token=token,
    )
    today = localdate()
    calendar = icalendar.Calendar.new(
        name=_calendar_name(feed),
        prodid="-//Parcours//Agenda des ateliers//FR",
        uid=f"feed-{feed.pk}@parcours",
        refresh_interval=REFRESH,
    )
    calendar.add("X-WR-TIMEZONE", settings.TIME_ZONE)
    calendar.add("X-PUBLISHED-TTL", REFRESH)
    stamp = datetime.datetime.now(datetime.UTC)
    for session in feed.sessions(today):
        calendar.add_component(_event(session, centre=feed.centre, stamp=stamp))
    calendar.add_missing_timezones(
        first_date=today - datetime.timedelta(days=90),
        last_date=today + datetime.timedelta(days=400),
    )
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    # The address is a secret: no shared cache may keep the file, no search engine list it.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _calendar_name(feed):
    # The feed lives on a phone: it names the workshop or says "mes ateliers", never a person.
    if feed.workshop_id:
        return f"{feed.workshop.name} — {feed.centre.name}"
    return f"Mes ateliers — {feed.centre.name}"


def _event(session, *, centre, stamp):
    """One session as an event. Cancelled sessions stay in the feed as STATUS:CANCELLED
    with "Annulée" in the title: a phone that already shows the session then shows it
    cancelled, even in apps that ignore the status. No person's name goes in (the
    facilitators, the people enrolled, the free-text cancel reason)."""
    cancelled = session.status == SessionStatus.CANCELLED
    workshop = session.workshop
    description = f"{workshop.get_kind_display()} — {centre.name}"
    if cancelled:
        description += "\nSéance annulée."
    return icalendar.Event.new(
        uid=f"session-{session.pk}@parcours",
        summary=f"Annulée : {workshop.name}" if cancelled else workshop.name,
        start=datetime.datetime.combine(session.date, session.starts_at, tzinfo=PARIS),
        end=datetime.datetime.combine(session.date, session.ends_at, tzinfo=PARIS),
        stamp=stamp,
        location=_location(session.where),
        description=description,
        status="CANCELLED" if cancelled else "CONFIRMED",
    )


def _location(place):
    if place is None:
        return None
    town = f"{place.postcode} {place.city}".strip()
    return ", ".join(part for part in (place.name, place.address, town) if part)


@policy.centre_rule(policy.can_view_workshops)
def feeds(request):
    """The user's own feed and, for the coordinator and the admin, the workshops' feeds
    and the team's feeds they may revoke."""
    centre = request.centre
    live = CalendarFeed.objects.of_member_centres(request.user).of_centre(centre).live()
    own = live.filter(owner=request.user).first()
    context = {"own": _with_urls(request, own)}
    if policy.can_manage_workshops(request.user, centre):
        workshops = list(
            Workshop.objects.of_centre(centre).prefetch_related(
                Prefetch(
                    "calendar_feeds", queryset=CalendarFeed.objects.live(), to_attr="live_feeds"
                )
            )
        )
        for workshop in workshops:
            workshop.feed = _with_urls(request, next(iter(workshop.live_feeds), None))
        context |= {
            "can_manage": True,
            "workshops": workshops,
            # Someone else's address stays theirs: the page lists it to revoke, not to copy.
            "team_feeds": live.filter(owner__isnull=False)
            .exclude(owner=request.user)
            .select_related("owner")
            .order_by("owner__last_name", "owner__first_name"),
        }
    return render(request, "workshops/feeds.html", context)


def _with_urls(request, feed):
    if feed is not None:
        feed.url = request.build_absolute_uri(reverse("workshops:feed", args=[feed.token]))
        # webcal:// opens the phone's calendar app on "subscribe" instead of downloading.
        feed.webcal_url = "webcal://" + feed.url.split("://", 1)[1]
    return feed


@require_POST
@policy.centre_rule(policy.can_view_workshops)
def feed_create(request):
    """Without `workshop`, the user's own feed; with it, that workshop's feed (coordinator
    and admin). An agenda that already has a live address keeps it."""
    centre = request.centre
    pk = request.POST.get("workshop", "")
    if pk:
        workshop = get_object_or_404(
            Workshop.objects.of_member_centres(request.user).of_centre(centre),
            pk=int(pk) if pk.isdecimal() else None,
        )
        if not policy.can_manage_workshops(request.user, centre):
            raise PermissionDenied
        target = {"workshop": workshop}
    else:
        target = {"owner": request.user}
    already = CalendarFeed.objects.of_centre(centre).live().filter(**target).exists()
    if not already:
        try:
            with transaction.atomic():
                CalendarFeed.objects.create(centre=centre, created_by=request.user, **target)
        except IntegrityError:
            # A double submit: the database keeps one live feed per owner and workshop.
            already = True
    if already:
        messages.info(
            request,
            "Cet agenda a déjà une adresse. Révoquez-la d'abord pour en obtenir une nouvelle.",
        )
    else:
        messages.success(request, "L'adresse de l'agenda est créée.")
    return redirect("workshops:feeds")


@require_POST
@policy.centre_rule(policy.can_view_workshops)
def feed_revoke(request, pk):
    feed = get_object_or_404(
        CalendarFeed.objects.of_member_centres(request.user).of_centre(request.centre), pk=pk
    )
    if not policy.can_manage_feed(request.user, feed):
        raise PermissionDenied
    feed.revoke()
    messages.success(
        request,
        "L'adresse est révoquée : les agendas abonnés ne reçoivent plus les séances.",
    )
    return redirect("workshops:feeds")
