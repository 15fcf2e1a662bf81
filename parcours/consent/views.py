"""The consent register of a person: the coordinator's section of the file (htmx), the
information notice PDFs, and the override form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from parcours import policy
from parcours.audit.services import audit_read

from . import services
from .enums import Answer, Purpose
from .forms import ConsentForm, NoticeGivenForm, OverrideForm, WithdrawForm
from .models import ConsentRecord, NoticeGiven
from .notice import notice_content, notice_pdf


def _person(request, pk):
    return get_object_or_404(policy.people_visible_to(request.user, request.centre), pk=pk)


def _mark_standing(records, today):
    """Flag each agreement of a loaded history `in_force` today: the latest row of its
    scope dated on or before today (the rule of `ConsentRecord.objects.in_force`)."""
    latest = {}
    for record in sorted(records, key=lambda r: (r.on, r.pk)):
        if record.on <= today:
            latest[(record.purpose, record.partner_id, record.partner_kind)] = record
    for record in records:
        key = (record.purpose, record.partner_id, record.partner_kind)
        record.in_force = record.answer == Answer.AGREED and latest.get(key) is record
    return records


def section_context(request, person, **forms):
    """What the "Consentements" section shows: three queries whatever the history."""
    records = list(person.consent_records.select_related("partner", "by"))
    return {
        "person": person,
        "records": _mark_standing(records, timezone.localdate()),
        "overrides": person.consent_overrides.select_related("partner", "by"),
        "notices": person.notices_given.select_related("by"),
        "consent_form": forms.get("consent_form") or ConsentForm(centre=request.centre),
        "notice_form": forms.get("notice_form") or NoticeGivenForm(),
        "withdraw_form": WithdrawForm(),
        "withdraw_errors": forms.get("withdraw_errors"),
        "done": forms.get("done", ""),
        "can_override": policy.can_override_consent(request.user, request.centre),
    }


def _section(request, person, status=200, **forms):
    """The section alone for htmx, else the person's consent page."""
    context = section_context(request, person, **forms)
    if request.htmx:
        # htmx swaps only 2xx answers: errors come back as 200 and show in the form.
        return render(request, "consent/_section.html", context)
    return render(request, "consent/person.html", context, status=status)


def _done(request, person, message):
    if request.htmx:
        return _section(request, person, done=message)
    messages.success(request, message)
    return redirect("consent:person", pk=person.pk)


@policy.centre_rule(policy.can_record_consent)
def person_consents(request, pk):
    person = _person(request, pk)
    audit_read(instance=person, by=request.user, section="consentements")
    return _section(request, person)


@require_POST
@policy.centre_rule(policy.can_record_consent)
def consent_create(request, pk):
    person = _person(request, pk)
    form = ConsentForm(request.POST, centre=request.centre)
    if form.is_valid():
        try:
            record = services.consent_record(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _done(request, person, f"Accord enregistré : {record.scope_label}.")
    return _section(request, person, status=400, consent_form=form)


@require_POST
@policy.centre_rule(policy.can_record_consent)
def consent_withdraw(request, pk):
    records = ConsentRecord.objects.of_member_centres(request.user).of_centre(request.centre)
    record = get_object_or_404(records.select_related("person", "partner"), pk=pk)
    person = record.person
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.consent_withdraw(record=record, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            on = form.cleaned_data["on"]
            return _done(
                request, person, f"Retrait enregistré à compter du {on:%d/%m/%Y} : {record}."
            )
    errors = [message for messages_ in form.errors.values() for message in messages_]
    return _section(request, person, status=400, withdraw_errors=errors)


@require_POST
@policy.centre_rule(policy.can_record_consent)
def notice_give(request, pk):
    person = _person(request, pk)
    form = NoticeGivenForm(request.POST)
    if form.is_valid():
        try:
            services.notice_give(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _done(request, person, "La remise de la notice d'information est enregistrée.")
    return _section(request, person, status=400, notice_form=form)


@policy.centre_rule(policy.can_print_notice)
def notice(request):
    """The centre's notice as it reads today, to print and hand over."""
    return _pdf(notice_pdf(notice_content(request.centre)), "notice-information")


@policy.centre_rule(policy.can_record_consent)
def notice_given(request, pk):
    """The notice a person was given, as it read that day, with their name."""
    notices = NoticeGiven.objects.of_member_centres(request.user).of_centre(request.centre)
    given = get_object_or_404(notices.select_related("person"), pk=pk)
    audit_read(instance=given.person, by=request.user, section="notice d'information")
    return _pdf(notice_pdf(given.content, person=given.person), f"notice-{given.pk}")


def _pdf(content, name):
    response = HttpResponse(content, content_type="application/pdf")
    # No name in the file name: downloads folders and browser histories keep it.
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def _next_url(request):
    """Where to go back after an override (the relay form, the bilan), if it is ours."""
    url = request.POST.get("suite") or request.GET.get("suite", "")
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else ""


@policy.centre_rule(policy.can_override_consent)
def override_create(request, pk):
    person = _person(request, pk)
    if request.method == "GET":  # the form page names the person: a reading of the file
        audit_read(instance=person, by=request.user, section="dérogation")
    initial = {"purpose": request.GET.get("objet"), "partner": request.GET.get("partenaire")}
    form = OverrideForm(request.POST or None, initial=initial, centre=request.centre)
    next_url = _next_url(request)
    cancel_url = next_url or reverse("consent:person", args=[person.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.override_record(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "La dérogation est enregistrée pour aujourd'hui et journalisée."
            )
            return redirect(cancel_url)
    return render(
        request,
        "consent/override_form.html",
        {"form": form, "person": person, "next_url": next_url, "cancel_url": cancel_url},
        status=400 if form.errors else 200,
    )


def consent_missing(request, *, person, purpose, what, partner=None):
    """The page shown instead of something the person did not agree to: what cannot be
    done (`what`, a clause), and the two ways forward (record the agreement, or
    override)."""
    query = {"objet": purpose, "suite": request.get_full_path()}
    if partner is not None:
        query["partenaire"] = partner.pk
    override_url = f"{reverse('consent:override', args=[person.pk])}?{urlencode(query)}"
    return render(
        request,
        "consent/missing.html",
        {
            "person": person,
            "what": what,
            "purpose": Purpose(purpose),
            "override_url": override_url,
            "can_override": policy.can_override_consent(request.user, request.centre),
        },
        status=409,
    )
