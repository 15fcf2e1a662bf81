from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import render

from parcours import policy
from parcours.centres.models import Membership
from parcours.core.filters import ignored_parameters

from .forms import TrailFilterForm
from .models import AuditEvent, SecurityEvent

PAGE_SIZE = 50


@policy.centre_rule(policy.can_view_audit_trail)
def trail(request):
    """The centre's trail, newest first; `?type=<content type id>&objet=<pk>` narrows it
    to one object and `?personne=<pk>` to everything of one person's file, which is how
    a file's page links to its own trail. Malformed filters are ignored."""
    events = AuditEvent.objects.filter(centre=request.centre).select_related(
        "actor", "content_type"
    )
    allowed = policy.audit_trail_filters_for(request.user, request.centre)
    filters = TrailFilterForm(request.GET)
    wanted = filters.cleaned_data if filters.is_valid() else {}
    wanted = {name: value for name, value in wanted.items() if allowed.allows(name)}
    content_type = ContentType.objects.filter(pk=wanted.get("type")).first()
    object_pk = wanted.get("objet", "")
    if content_type and object_pk:
        events = events.filter(content_type=content_type, object_pk=object_pk)
    person_id = wanted.get("personne")
    if person_id:
        events = events.filter(person_id=person_id)
    # The pk breaks ties: the rows of one bulk import share their timestamp, and pages
    # over equal keys could repeat or skip rows.
    events = events.order_by("-timestamp", "-pk")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/trail.html",
        {
            "page": page,
            "content_type": content_type,
            "object_pk": object_pk,
            "person_id": person_id,
            "ignored": ignored_parameters(request.GET, allowed),
        },
    )


@policy.centre_rule(policy.can_view_audit_trail)
def security(request):
    # Failed logins happen before anyone is in a centre: they are matched on the
    # e-mail typed, for the accounts of this centre's team, from the day each joined it.
    # What happened to an account before, or in its other centres, is not this centre's
    # business (nor the addresses it was tried from).
    member_then = Membership.objects.of_centre(request.centre).filter(
        user__email=OuterRef("username"), created_at__lte=OuterRef("timestamp")
    )
    events = SecurityEvent.objects.filter(
        Q(centre=request.centre) | Q(Exists(member_then), centre=None)
    ).select_related("user")
    # The pk breaks ties: the rows of one bulk import share their timestamp, and pages
    # over equal keys could repeat or skip rows.
    events = events.order_by("-timestamp", "-pk")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/security.html", {"page": page})
