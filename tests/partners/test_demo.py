import pytest
from django.core import serializers

from parcours.partners import demo
from parcours.partners.enums import PartnerKind, Theme
from parcours.partners.models import Partner, PartnerContact

# The partner list of the seed, one name each, as the seed spells the organisation.
SEED_PARTNERS = [
    "Centres médico-sociaux",
    "UDAF / SASI",
    "CCAS de la ville de Thionville",
    "UTOPIA",
    "Ateliers Santé Ville",
    "AFAD de Moselle",
    "GEM Théo",
    "TREMPLIN",
    "C.M.P. 1er et 2ème secteur adultes",
    "France Travail (ex-Pôle emploi) Thionville",
    "C.S.A.P.A.",
    "Apsis-Émergence",
    "Athènes",
    "CLCV",
    "Valo'",
    "CPAM de Thionville",
    "Vie libre",
    "Habitat Jeunes des Trois Frontières",
    "F.O.M.A.L.",
    "C.I.D.F.F.",
    "A.T.A.V.",
    "Petits Loups",
    "Croix-Rouge",
    "Collectif thionvillois",
    "Banque alimentaire",
    "Restos du Cœur",
    "Intercom Santé 57",
    "CPAM de Metz",
    "Mutualité française de Lorraine",
    "Randonnée Pédestre",
    "Cœur et Santé",
    "ludothèque",
    "La récré des bébés",
    "Le square",
]


def the(centre, words):
    return Partner.objects.of_centre(centre).get(name__contains=words)


def snapshot():
    return [
        serializers.serialize("json", model.objects.order_by("pk"))
        for model in (Partner, PartnerContact)
    ]


@pytest.mark.django_db
def test_it_creates_every_partner_of_the_seed_and_nothing_else(centre):
    demo.load(centre)
    names = list(Partner.objects.of_centre(centre).values_list("name", flat=True))
    assert sorted(names) == sorted(demo.NAMES)
    for words in SEED_PARTNERS:
        assert [name for name in names if words in name], words
    assert len(SEED_PARTNERS) == len(demo.NAMES)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "words,kind,themes",
    [
        ("C.S.A.P.A.", PartnerKind.CSAPA, {Theme.ADDICTIONS, Theme.HEALTH}),
        ("C.I.D.F.F.", PartnerKind.CIDFF, {Theme.JUSTICE, Theme.PARENTING}),
        ("Pôle emploi", PartnerKind.EMPLOYMENT, {Theme.EMPLOYMENT}),
        ("Vie libre", PartnerKind.ASSOCIATION, {Theme.ADDICTIONS, Theme.HEALTH}),
        ("TREMPLIN", PartnerKind.INTERMEDIARY_ASSOCIATION, {Theme.EMPLOYMENT}),
        ("Valo'", PartnerKind.INSERTION_COMPANY, {Theme.EMPLOYMENT}),
        ("GEM Théo", PartnerKind.GEM, {Theme.HEALTH, Theme.DAILY_LIFE}),
        ("A.T.A.V.", PartnerKind.VICTIM_SUPPORT, {Theme.JUSTICE}),
        ("F.O.M.A.L.", PartnerKind.JUSTICE, {Theme.JUSTICE, Theme.HOUSING}),
        ("Habitat Jeunes", PartnerKind.HOUSING, {Theme.HOUSING, Theme.YOUTH}),
        ("C.M.P.", PartnerKind.CMP, {Theme.HEALTH}),
        ("Restos du Cœur", PartnerKind.CHARITY, {Theme.DAILY_LIFE}),
    ],
)
def test_it_gives_each_partner_its_kind_and_themes(centre, words, kind, themes):
    demo.load(centre)
    partner = the(centre, words)
    assert partner.kind == kind
    assert set(partner.themes) == themes


@pytest.mark.django_db
def test_it_places_partners_where_the_seed_says(centre):
    demo.load(centre)
    assert the(centre, "Valo'").city == "Florange"
    assert the(centre, "C.I.D.F.F.").city == "Metz"
    assert the(centre, "CPAM de Metz").city == "Metz"
    assert the(centre, "TREMPLIN").city == "Thionville"


@pytest.mark.django_db
def test_it_gives_a_few_partners_fictional_contacts(centre):
    demo.load(centre)
    contacts = PartnerContact.objects.filter(partner__centre=centre)
    assert 0 < contacts.count() <= 2 * len(demo.CONTACTS)
    for contact in contacts:
        assert contact.email.endswith("@example.org")
        assert contact.phone.as_national.startswith("03 53 01")


@pytest.mark.django_db
def test_loading_twice_changes_nothing(centre):
    demo.load(centre)
    first = snapshot()
    demo.load(centre)
    assert snapshot() == first


@pytest.mark.django_db
def test_it_keeps_what_a_user_changed_and_brings_back_no_deleted_contact(centre):
    demo.load(centre)
    tremplin = the(centre, "TREMPLIN")
    tremplin.name = "tremplin – association intermédiaire"
    tremplin.city = "Yutz"
    tremplin.save()
    PartnerContact.objects.filter(last_name="Arnoux").delete()
    demo.load(centre)
    tremplin.refresh_from_db()
    assert tremplin.city == "Yutz"
    assert Partner.objects.of_centre(centre).count() == len(demo.NAMES)
    assert not PartnerContact.objects.filter(last_name="Arnoux").exists()


@pytest.mark.django_db
def test_it_loads_each_centre_its_own_network(centre, other_centre):
    demo.load(centre)
    demo.load(other_centre)
    assert Partner.objects.of_centre(other_centre).count() == len(demo.NAMES)
