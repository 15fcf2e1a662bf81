import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parcours.people.enums import Benefit, PersonStatus

from .factories import NeighbourhoodFactory, PersonFactory

LIST = reverse("people:list")


def names(response):
    return [str(p) for p in response.context["page"]]


def test_it_finds_people_by_name_whatever_the_accents_case_and_order(client_for, referred):
    client = client_for("coordinator")
    for query in ["zoe marie", "LEFEVRE", "lefèvre zoé", "Zoé-Marie Lefèvre"]:
        assert names(client.get(LIST, {"q": query})) == ["LEFÈVRE Zoé-Marie"], query
    assert names(client.get(LIST, {"q": "dupont"})) == []


def test_it_finds_a_name_with_an_apostrophe_or_a_hyphen_typed_in_one_word(client_for, centre):
    PersonFactory(centre=centre, last_name="N'DIAYE", first_name="Awa")
    PersonFactory(centre=centre, last_name="Diallo", first_name="Jean-Marc")
    PersonFactory(centre=centre, last_name="Diaz", first_name="Nadia")
    client = client_for("coordinator")
    for query in ["ndiaye", "NDiaye awa", "n'diaye", "n diaye"]:
        assert names(client.get(LIST, {"q": query})) == ["N'DIAYE Awa"], query
    assert names(client.get(LIST, {"q": "jeanmarc"})) == ["DIALLO Jean-Marc"]
    assert names(client.get(LIST, {"q": "dia"})) == [
        "DIALLO Jean-Marc",
        "DIAZ Nadia",
        "N'DIAYE Awa",
    ]


def test_it_filters_by_status_neighbourhood_and_benefit(client_for, centre):
    east = NeighbourhoodFactory(centre=centre, name="Quartier-Est", is_qpv=True)
    PersonFactory(centre=centre, last_name="Alpha", neighbourhood=east, benefit=Benefit.RSA)
    PersonFactory(centre=centre, last_name="Beta", benefit=Benefit.AAH, status=PersonStatus.ACTIVE)
    client = client_for("coordinator")
    assert names(client.get(LIST, {"neighbourhood": east.pk})) == [
        str(p) for p in east.people.all()
    ]
    assert [p.last_name for p in client.get(LIST, {"benefit": "aah"}).context["page"]] == ["Beta"]
    assert [p.last_name for p in client.get(LIST, {"status": "active"}).context["page"]] == ["Beta"]


def test_it_filters_by_referrer(client_for, centre, referred):
    from parcours.people.models import Referral

    from ..partners.factories import PartnerFactory

    udaf = PartnerFactory(centre=centre, name="UDAF 57")
    Referral.objects.filter(pk=referred.pk).update(partner=udaf)
    PersonFactory(centre=centre, last_name="Autre")
    page = client_for("coordinator").get(LIST, {"referrer": udaf.pk})
    assert [p.pk for p in page.context["page"]] == [referred.person_id]
    assert page.context["page"][0].referrer_name == "UDAF 57"


def test_it_sorts_and_paginates(client_for, centre):
    for n in range(30):
        PersonFactory(centre=centre, last_name=f"Nom{n:02d}")
    client = client_for("coordinator")
    first = client.get(LIST, {"tri": "-nom"})
    assert first.context["page"][0].last_name == "Nom29"
    assert len(first.context["page"]) == 25
    second = client.get(LIST, {"tri": "-nom", "page": 2})
    assert [p.last_name for p in second.context["page"]] == [
        f"Nom{n:02d}" for n in range(4, -1, -1)
    ]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_for_3_or_60_people(client_for, centre, referred):
    client = client_for("coordinator")
    for _ in range(3):
        PersonFactory(centre=centre, neighbourhood=NeighbourhoodFactory(centre=centre))
    small = count_queries(client, LIST)
    for _ in range(57):
        PersonFactory(centre=centre, neighbourhood=NeighbourhoodFactory(centre=centre))
    assert count_queries(client, LIST) == small
    assert count_queries(client, LIST + "?tri=-naissance&q=a&page=2") == small


def test_the_list_never_shows_another_centres_people(client_for, other_centre, centre):
    PersonFactory(centre=other_centre, last_name="Ailleurs")
    PersonFactory(centre=centre, last_name="Ici")
    assert [p.last_name for p in client_for("coordinator").get(LIST).context["page"]] == ["Ici"]


def test_a_facilitator_sees_nobody_until_people_are_in_their_workshops(client_for, referred):
    page = client_for("facilitator").get(LIST)
    assert page.status_code == 200
    assert list(page.context["page"]) == []


def test_a_partner_worker_sees_only_the_people_they_referred(client_for, centre, referred):
    PersonFactory(centre=centre, last_name="Pasorienté")
    page = client_for("partner_worker").get(LIST)
    assert [p.pk for p in page.context["page"]] == [referred.person_id]


def test_the_director_sees_no_file(client_for, referred):
    assert client_for("director").get(LIST).status_code == 403


def test_a_partner_worker_gets_no_filter_that_would_tell_more_than_was_shared(
    client_for, centre, referred
):
    from parcours.people.models import Person, Referral

    from ..partners.factories import PartnerFactory

    Person.objects.filter(pk=referred.person_id).update(benefit=Benefit.RSA)
    csapa = PartnerFactory(centre=centre, name="CSAPA de Thionville")
    Referral.objects.create(
        centre=centre,
        person=referred.person,
        partner=csapa,
        received_on=datetime.date(2026, 10, 1),
        reason="Addiction.",
    )
    client = client_for("partner_worker")
    page = client.get(LIST)
    assert set(page.context["filterset"].form.fields) == {"q", "tri"}
    html = page.content.decode()
    assert "CSAPA" not in html
    assert "non partagé" in html
    assert page.context["page"][0].my_referral_label == "Reçue"
    # A filter typed into the address bar is not applied either.
    assert len(client.get(LIST, {"benefit": "aah"}).context["page"]) == 1


def test_it_shows_each_role_its_notice_and_columns(client_for, centre, users, referred):
    from ..workshops.factories import EnrolmentFactory, WorkshopFactory

    theirs = WorkshopFactory(centre=centre)
    theirs.facilitators.add(users["facilitator"])
    EnrolmentFactory(workshop=theirs, person=referred.person)
    facilitator_notice = "Vous voyez le nom et le téléphone des personnes inscrites"
    referrer_notice = "Vous voyez les personnes que vous avez orientées vers le centre"
    expected = {
        "coordinator": ("Orientée par", None),
        "facilitator": ("Téléphone", facilitator_notice),
        "partner_worker": ("Votre orientation", referrer_notice),
    }
    for actor, (column, notice) in expected.items():
        client = client_for(actor)
        page = client.get(LIST).content.decode()
        results = client.get(LIST, headers={"HX-Request": "true"}).content.decode()
        assert f'<th scope="col">{column}</th>' in page, actor
        assert f'<th scope="col">{column}</th>' in results, actor
        for other_notice in [facilitator_notice, referrer_notice]:
            assert (other_notice in page) is (other_notice == notice), actor
