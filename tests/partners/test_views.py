import pytest
from django.urls import reverse

from parcours.partners.enums import PartnerKind
from parcours.partners.models import Partner, PartnerContact

from .factories import PartnerContactFactory, PartnerFactory

LIST_QUERIES = 11


@pytest.fixture
def coordinator(client_for):
    return client_for("coordinator")


def listed(client, **params):
    response = client.get(reverse("partners:list"), params)
    assert response.status_code == 200
    return [partner.name for partner in response.context["page"]]


def partner_data(**overrides):
    return {"name": "Secours populaire", "kind": PartnerKind.CHARITY, **overrides}


# List


def test_it_lists_kind_themes_phone_email_and_number_of_contacts(coordinator, centre):
    ccas = PartnerFactory(
        centre=centre,
        name="CCAS de Thionville",
        kind=PartnerKind.CCAS,
        theme_housing=True,
        theme_daily_life=True,
        phone="0353011001",
        email="ccas@example.org",
    )
    PartnerContactFactory.create_batch(2, partner=ccas)
    page = coordinator.get(reverse("partners:list")).content.decode()
    assert "CCAS de Thionville" in page
    assert "CCAS (centre communal d&#x27;action sociale)" in page
    assert "Logement, Vie quotidienne" in page
    assert "03 53 01 10 01" in page
    assert "ccas@example.org" in page
    assert "<td>2</td>" in page


def test_it_lists_nothing_of_another_centre(coordinator, centre, other_centre):
    PartnerFactory(centre=centre, name="Banque alimentaire")
    PartnerFactory(centre=other_centre, name="Structure des Tilleuls")
    assert listed(coordinator) == ["Banque alimentaire"]


def test_it_finds_a_name_whatever_its_accents_case_and_hyphens(coordinator, centre):
    PartnerFactory(centre=centre, name="Restos du Cœur")
    PartnerFactory(centre=centre, name="Croix-Rouge")
    PartnerFactory(centre=centre, name="ÉCOLE DES PARENTS")
    assert listed(coordinator, q="coeur") == ["Restos du Cœur"]
    assert listed(coordinator, q="rouge croix") == ["Croix-Rouge"]
    assert listed(coordinator, q="école") == ["ÉCOLE DES PARENTS"]
    assert listed(coordinator, q="tilleuls") == []


def test_it_filters_by_kind(coordinator, centre):
    PartnerFactory(centre=centre, name="France Travail", employment=True)
    PartnerFactory(centre=centre, name="CSAPA", addictions=True)
    assert listed(coordinator, kind=PartnerKind.EMPLOYMENT) == ["France Travail"]


def test_it_filters_by_theme(coordinator, centre):
    PartnerFactory(centre=centre, name="France Travail", employment=True)
    PartnerFactory(centre=centre, name="CSAPA", addictions=True)
    PartnerFactory(centre=centre, name="Vie libre", theme_addictions=True)
    assert listed(coordinator, theme="addictions") == ["CSAPA", "Vie libre"]
    assert listed(coordinator, theme="addictions", q="libre") == ["Vie libre"]


def test_it_says_in_french_when_a_filter_value_is_unknown(coordinator, centre):
    PartnerFactory(centre=centre, name="CSAPA", addictions=True)
    response = coordinator.get(reverse("partners:list"), {"kind": "casino"})
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert [p.name for p in response.context["page"]] == ["CSAPA"]


@pytest.mark.parametrize("count", [3, 30])
def test_it_lists_in_the_same_number_of_queries_whatever_the_number_of_partners(
    coordinator, centre, django_assert_num_queries, count
):
    for partner in PartnerFactory.create_batch(count, centre=centre):
        PartnerContactFactory(partner=partner)
    # The request's own (session, user, second-factor device, memberships, transaction
    # savepoints), then the list's two: the count and the page, contacts counted in the
    # same query.
    with django_assert_num_queries(LIST_QUERIES):
        response = coordinator.get(reverse("partners:list"), {"theme": "", "q": ""})
    assert response.status_code == 200


def test_it_shows_25_partners_a_page_and_keeps_the_filters_in_page_links(coordinator, centre):
    PartnerFactory.create_batch(30, centre=centre, employment=True)
    response = coordinator.get(reverse("partners:list"), {"kind": "employment"})
    assert len(response.context["page"]) == 25
    assert "?kind=employment&amp;page=2" in response.content.decode()
    second = coordinator.get(reverse("partners:list"), {"kind": "employment", "page": 2})
    assert len(second.context["page"]) == 5


# Detail


def test_it_shows_every_field_and_the_contacts(coordinator, centre):
    partner = PartnerFactory(
        centre=centre,
        name="AFAD de Moselle",
        theme_parenting=True,
        address="56 route de la Briquerie",
        postcode="57100",
        website="https://afad.example.org",
        notes="Atelier cuisine le vendredi.",
    )
    PartnerContactFactory(partner=partner, first_name="Inès", last_name="Caradec")
    page = coordinator.get(reverse("partners:detail", args=[partner.pk])).content.decode()
    for text in [
        "AFAD de Moselle",
        "Parentalité",
        "56 route de la Briquerie, 57100 Thionville",
        "https://afad.example.org",
        "Atelier cuisine le vendredi.",
        "Inès Caradec",
    ]:
        assert text in page


# Create and edit


def test_it_creates_a_partner_with_its_themes(coordinator, centre):
    response = coordinator.post(
        reverse("partners:create"),
        partner_data(theme_daily_life="on", theme_parenting="on", phone="03 53 01 10 07"),
    )
    partner = Partner.objects.get(name="Secours populaire")
    assert response.url == reverse("partners:detail", args=[partner.pk])
    assert partner.centre == centre
    assert [theme.value for theme in partner.themes] == ["daily_life", "parenting"]
    assert partner.phone.as_e164 == "+33353011007"


def test_the_form_offers_the_themes_as_checkboxes_in_a_fieldset(coordinator):
    page = coordinator.get(reverse("partners:create")).content.decode()
    assert "<legend>Thèmes</legend>" in page
    assert 'type="checkbox" name="theme_addictions"' in page


def test_it_asks_for_a_name_in_french(coordinator):
    response = coordinator.post(reverse("partners:create"), partner_data(name=""))
    assert response.status_code == 200
    assert "Indiquez le nom du partenaire." in response.content.decode()
    assert not Partner.objects.exists()


def test_it_refuses_a_name_the_centre_already_has_whatever_the_case(coordinator, centre):
    PartnerFactory(centre=centre, name="Secours populaire")
    response = coordinator.post(reverse("partners:create"), partner_data(name="SECOURS Populaire"))
    assert "Le centre a déjà un partenaire de ce nom." in response.content.decode()
    assert Partner.objects.count() == 1


def test_it_accepts_a_name_another_centre_already_has(coordinator, centre, other_centre):
    PartnerFactory(centre=other_centre, name="Secours populaire")
    coordinator.post(reverse("partners:create"), partner_data())
    assert Partner.objects.get(centre=centre).name == "Secours populaire"


def test_it_explains_a_bad_phone_email_and_website_in_french(coordinator):
    response = coordinator.post(
        reverse("partners:create"),
        partner_data(phone="12", email="pas-un-email", website="pas un site", kind="casino"),
    )
    page = response.content.decode()
    assert "Saisissez un numéro de téléphone valide" in page
    assert "Saisissez une adresse de courriel valide." in page
    assert "Saisissez une URL valide." in page
    assert "Sélectionnez un choix valide" in page
    assert not Partner.objects.exists()


def test_it_edits_a_partner_and_ignores_a_posted_centre(coordinator, centre, other_centre):
    partner = PartnerFactory(centre=centre, name="Secours populaire", theme_youth=True)
    response = coordinator.post(
        reverse("partners:edit", args=[partner.pk]),
        partner_data(name="Secours populaire français", centre=other_centre.pk),
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.name == "Secours populaire français"
    assert partner.centre == centre
    assert partner.theme_youth is False  # an unticked box is a theme removed


def test_it_lets_a_partner_keep_its_own_name(coordinator, centre):
    partner = PartnerFactory(centre=centre, name="Secours populaire")
    response = coordinator.post(
        reverse("partners:edit", args=[partner.pk]), partner_data(city="Metz")
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.city == "Metz"


# Contacts


def test_it_adds_a_contact_to_a_partner(coordinator, centre):
    partner = PartnerFactory(centre=centre)
    response = coordinator.post(
        reverse("partners:contact_create", args=[partner.pk]),
        {"first_name": "Inès", "last_name": "Caradec", "job_title": "éducatrice"},
    )
    assert response.url == reverse("partners:detail", args=[partner.pk])
    assert partner.contacts.get().last_name == "Caradec"


def test_it_asks_for_the_contacts_name_in_french(coordinator, centre):
    partner = PartnerFactory(centre=centre)
    response = coordinator.post(
        reverse("partners:contact_create", args=[partner.pk]), {"first_name": "Inès"}
    )
    assert "Indiquez le nom du contact." in response.content.decode()
    assert not PartnerContact.objects.exists()


def test_it_edits_a_contact_and_ignores_a_posted_partner(coordinator, centre):
    contact = PartnerContactFactory(partner__centre=centre, last_name="Caradec")
    elsewhere = PartnerFactory(centre=centre)
    response = coordinator.post(
        reverse("partners:contact_edit", args=[contact.pk]),
        {"last_name": "Caradec-Le Goff", "email": "i.caradec@example.org", "partner": elsewhere.pk},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.last_name == "Caradec-Le Goff"
    assert contact.email == "i.caradec@example.org"
    assert contact.partner != elsewhere


# Another centre, another role


@pytest.fixture
def theirs(other_centre):
    contact = PartnerContactFactory(
        partner__centre=other_centre, partner__name="Structure des Tilleuls", last_name="Tilleul"
    )
    return {"partner": contact.partner, "contact": contact}


@pytest.mark.parametrize(
    "name,key,method",
    [
        ("partners:detail", "partner", "get"),
        ("partners:edit", "partner", "get"),
        ("partners:edit", "partner", "post"),
        ("partners:contact_create", "partner", "get"),
        ("partners:contact_create", "partner", "post"),
        ("partners:contact_edit", "contact", "get"),
        ("partners:contact_edit", "contact", "post"),
    ],
)
def test_another_centres_partner_is_a_404_and_stays_unchanged(
    coordinator, theirs, name, key, method
):
    url = reverse(name, args=[theirs[key].pk])
    data = {**partner_data(name="Repris"), "last_name": "Repris"}
    response = coordinator.post(url, data) if method == "post" else coordinator.get(url)
    assert response.status_code == 404
    theirs["partner"].refresh_from_db()
    theirs["contact"].refresh_from_db()
    assert theirs["partner"].name == "Structure des Tilleuls"
    assert theirs["contact"].last_name == "Tilleul"
    assert theirs["partner"].contacts.count() == 1


def test_it_lets_a_facilitator_view_but_not_create(client_for, centre):
    partner = PartnerFactory(centre=centre, name="CSAPA")
    facilitator = client_for("facilitator")
    assert facilitator.get(reverse("partners:list")).status_code == 200
    detail = facilitator.get(reverse("partners:detail", args=[partner.pk])).content.decode()
    assert "CSAPA" in detail
    assert reverse("partners:edit", args=[partner.pk]) not in detail
    assert facilitator.get(reverse("partners:create")).status_code == 403
    assert facilitator.post(reverse("partners:create"), partner_data()).status_code == 403
    assert Partner.objects.count() == 1
