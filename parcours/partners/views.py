from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from parcours import policy
from parcours.core.pages import form_page

from .filters import PartnerFilter
from .forms import PartnerContactForm, PartnerForm
from .models import Partner, PartnerContact

PAGE_SIZE = 25


def _partners(request):
    return Partner.objects.of_member_centres(request.user).of_centre(request.centre)


def _partner(request, pk):
    return get_object_or_404(_partners(request), pk=pk)


@policy.centre_rule(policy.can_view_partners)
def partner_list(request):
    partners = (
        _partners(request).annotate(contact_count=Count("contacts")).order_by(Lower("name"), "pk")
    )
    filterset = PartnerFilter(
        request.GET or None,
        queryset=partners,
        allowed=policy.partner_list_filters_for(request.user, request.centre),
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partners/partner_list.html",
        {
            "filter_form": filterset.form,
            "ignored": filterset.ignored,
            "searching": any(request.GET.get(name) for name in filterset.filters),
            "page": page,
            "can_manage": policy.can_manage_partners(request.user, request.centre),
        },
    )


@policy.centre_rule(policy.can_view_partners)
def partner_detail(request, pk):
    partner = _partner(request, pk)
    return render(
        request,
        "partners/partner_detail.html",
        {
            "partner": partner,
            "contacts": partner.contacts.all(),
            "can_manage": policy.can_manage_partners(request.user, request.centre),
        },
    )


@policy.centre_rule(policy.can_manage_partners)
def partner_edit(request, pk=None):
    partner = _partner(request, pk) if pk is not None else None
    form = PartnerForm(request.POST or None, instance=partner, centre=request.centre)
    if request.method == "POST" and form.is_valid():
        partner = form.save()
        messages.success(request, f"Le partenaire « {partner.name} » est enregistré.")
        return redirect("partners:detail", partner.pk)
    return form_page(
        request,
        form,
        heading=f"Modifier {partner.name}" if partner else "Nouveau partenaire",
        cancel_url=reverse("partners:detail", args=[partner.pk])
        if partner
        else reverse("partners:list"),
    )


@policy.centre_rule(policy.can_manage_partners)
def contact_create(request, pk):
    partner = _partner(request, pk)
    return _contact_form(request, PartnerContactForm(request.POST or None, partner=partner))


@policy.centre_rule(policy.can_manage_partners)
def contact_edit(request, pk):
    contact = get_object_or_404(
        PartnerContact.objects.filter(partner__centre=request.centre).select_related("partner"),
        pk=pk,
    )
    form = PartnerContactForm(request.POST or None, instance=contact, partner=contact.partner)
    return _contact_form(request, form)


def _contact_form(request, form):
    partner = form.instance.partner
    if request.method == "POST" and form.is_valid():
        contact = form.save()
        messages.success(request, f"Le contact {contact} est enregistré.")
        return redirect("partners:detail", partner.pk)
    return form_page(
        request,
        form,
        heading="Modifier un contact" if form.instance.pk else "Nouveau contact",
        lead=partner.name,
        cancel_url=reverse("partners:detail", args=[partner.pk]),
    )
