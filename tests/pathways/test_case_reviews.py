import datetime

import pytest
from django.urls import reverse

from parcours.audit.models import AuditEvent
from parcours.pathways.case_reviews import case_review_create, reviews_of
from parcours.pathways.models import CaseReview

from ..partners.factories import PartnerContactFactory, PartnerFactory
from ..people.factories import PersonFactory


@pytest.fixture
def people(centre):
    return [
        PersonFactory(centre=centre, last_name="Garnier", first_name="Inès"),
        PersonFactory(centre=centre, last_name="Moreau", first_name="Karim"),
    ]


@pytest.fixture
def contacts(centre):
    return [
        PartnerContactFactory(partner=PartnerFactory(centre=centre, name="CMP")),
        PartnerContactFactory(partner=PartnerFactory(centre=centre, name="CCAS")),
    ]


def review_data(rows, **extra):
    """The form's data: the meeting, then one row per (person, decision)."""
    data = {
        "held_on": "2026-11-05",
        "other_participants": "L'élue aux solidarités",
        "situations-TOTAL_FORMS": "5",
        "situations-INITIAL_FORMS": "0",
        **extra,
    }
    for i, (person, decision) in enumerate(rows):
        data[f"situations-{i}-person"] = person.pk if person else ""
        data[f"situations-{i}-decision"] = decision
    return data


def make_review(centre, rows, held_on=datetime.date(2026, 11, 5)):
    return case_review_create(
        centre=centre, held_on=held_on, participants=[], other_participants="", items=rows
    )


def test_it_records_a_case_review_with_two_people_and_their_decisions(
    client_for, centre, people, contacts
):
    client = client_for("coordinator")
    response = client.post(
        reverse("pathways:case_review_create"),
        review_data(
            [(people[0], "Relais vers le CMP."), (people[1], "Point dans trois mois.")],
            participants=[c.pk for c in contacts],
        ),
    )
    review = CaseReview.objects.get()
    assert response.url == reverse("pathways:case_review", args=[review.pk])
    assert (review.centre, review.held_on) == (centre, datetime.date(2026, 11, 5))
    assert review.other_participants == "L'élue aux solidarités"
    assert set(review.participants.all()) == set(contacts)
    decisions = {item.person: item.decision for item in review.items.all()}
    assert decisions == {people[0]: "Relais vers le CMP.", people[1]: "Point dans trois mois."}

    page = client.get(reverse("pathways:case_review", args=[review.pk])).content.decode()
    assert "Relais vers le CMP." in page and "Point dans trois mois." in page
    assert str(contacts[0]) in page


def test_it_finds_each_persons_decisions_in_one_query(django_assert_num_queries, centre, people):
    older = make_review(
        centre, [(people[0], "Orientation vers le CSAPA.")], datetime.date(2026, 3, 2)
    )
    newer = make_review(
        centre,
        [(people[0], "Relais vers le CMP."), (people[1], "Point dans trois mois.")],
    )
    with django_assert_num_queries(1):
        found = [
            (item.review, item.review.held_on, item.decision) for item in reviews_of(people[0])
        ]
    assert found == [
        (newer, newer.held_on, "Relais vers le CMP."),
        (older, older.held_on, "Orientation vers le CSAPA."),
    ]
    assert [item.decision for item in reviews_of(people[1])] == ["Point dans trois mois."]


def test_it_needs_at_least_one_person_reviewed(client_for):
    response = client_for("coordinator").post(
        reverse("pathways:case_review_create"), review_data([])
    )
    assert response.status_code == 200
    assert "Ajoutez au moins une personne examinée, avec la décision prise." in (
        response.content.decode()
    )
    assert not CaseReview.objects.exists()


def test_it_needs_a_decision_for_each_person_and_each_person_once(client_for, people):
    client = client_for("coordinator")
    response = client.post(reverse("pathways:case_review_create"), review_data([(people[0], "")]))
    assert response.context["items"].errors[0] == {
        "decision": ["Indiquez la décision prise pour cette personne."]
    }
    twice = client.post(
        reverse("pathways:case_review_create"),
        review_data([(people[0], "Relais vers le CMP."), (people[0], "Point en janvier.")]),
    )
    assert "Une même personne figure deux fois" in twice.content.decode()
    assert not CaseReview.objects.exists()


def test_it_refuses_people_and_professionals_of_another_centre(client_for, other_centre, people):
    stranger = PersonFactory(centre=other_centre)
    contact = PartnerContactFactory(partner=PartnerFactory(centre=other_centre))
    response = client_for("coordinator").post(
        reverse("pathways:case_review_create"),
        review_data([(stranger, "Relais.")], participants=[contact.pk]),
    )
    assert "person" in response.context["items"].errors[0]
    assert "participants" in response.context["form"].errors
    assert not CaseReview.objects.exists()


def test_it_lists_the_centres_reviews_newest_first(client_for, centre, other_centre, people):
    older = make_review(centre, [(people[0], "Relais.")], datetime.date(2026, 3, 2))
    newer = make_review(centre, [(people[0], "Relais."), (people[1], "Point.")])
    make_review(other_centre, [(PersonFactory(centre=other_centre), "Relais.")])
    page = client_for("coordinator").get(reverse("pathways:case_reviews")).context["page"]
    assert [(review, review.people_count) for review in page] == [(newer, 2), (older, 1)]


def test_it_audits_the_read_of_each_person_reviewed(client_for, centre, people):
    review = make_review(centre, [(people[0], "Relais."), (people[1], "Point.")])
    client_for("coordinator").get(reverse("pathways:case_review", args=[review.pk]))
    reads = AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS, content_type__model="person")
    assert sorted(int(event.object_pk) for event in reads) == sorted(p.pk for p in people)


@pytest.mark.parametrize("actor", ["facilitator", "director", "partner_worker", "admin"])
def test_it_is_for_the_coordinator_only(client_for, centre, people, actor):
    review = make_review(centre, [(people[0], "Relais.")])
    client = client_for(actor)
    assert client.get(reverse("pathways:case_reviews")).status_code == 403
    assert client.get(reverse("pathways:case_review_create")).status_code == 403
    assert client.get(reverse("pathways:case_review", args=[review.pk])).status_code == 403


def test_it_finds_no_review_of_another_centre(client_for, centre, people):
    review = make_review(centre, [(people[0], "Relais.")])
    client = client_for("outsider")
    assert client.get(reverse("pathways:case_review", args=[review.pk])).status_code == 404
    assert list(client.get(reverse("pathways:case_reviews")).context["page"]) == []
