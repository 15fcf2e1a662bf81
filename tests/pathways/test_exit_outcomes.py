"""The exit outcomes: the twelve defaults every centre shares, read-only, and the
centre's own beside them."""

import pytest
from django.urls import reverse

from parcours.pathways.enums import OutcomeFamily
from parcours.pathways.models import ExitOutcome
from parcours.pathways.outcomes import outcomes_for

DEFAULTS = 12


def outcome_of(centre, label="Création d'entreprise"):
    return ExitOutcome.objects.create(
        centre=centre, label=label, family=OutcomeFamily.EMPLOYMENT, is_positive=True
    )


def edit_url(outcome):
    return reverse("pathways:exit_outcome_edit", args=[outcome.pk])


def test_it_lists_the_twelve_default_outcomes(client_for):
    response = client_for("coordinator").get(reverse("pathways:exit_outcomes"))

    page = response.content.decode()
    assert ExitOutcome.objects.filter(centre=None).count() == DEFAULTS
    for label in ExitOutcome.objects.filter(centre=None).values_list("label", flat=True):
        assert label.replace("'", "&#x27;") in page
    assert page.count("<td>Commune</td>") == DEFAULTS
    assert "Modifier" not in page


def test_it_adds_an_outcome_of_the_centre_after_the_defaults(client_for, centre, other_centre):
    response = client_for("coordinator").post(
        reverse("pathways:exit_outcomes"),
        {"label": "Création d'entreprise", "family": "employment", "is_positive": "on"},
    )

    assert response.status_code == 302
    outcome = ExitOutcome.objects.get(centre=centre)
    assert (outcome.family, outcome.is_positive) == (OutcomeFamily.EMPLOYMENT, True)
    assert list(outcomes_for(centre))[-1] == outcome
    assert outcome not in outcomes_for(other_centre)
    assert outcomes_for(other_centre).count() == DEFAULTS


def test_it_refuses_an_empty_label_in_french(client_for):
    response = client_for("coordinator").post(
        reverse("pathways:exit_outcomes"), {"label": "", "family": "other"}
    )

    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not ExitOutcome.objects.exclude(centre=None).exists()


def test_it_refuses_a_label_already_in_the_list(client_for):
    response = client_for("coordinator").post(
        reverse("pathways:exit_outcomes"), {"label": "emploi : cdi", "family": "employment"}
    )

    assert "Cette issue existe déjà dans la liste." in response.content.decode()


def test_it_edits_an_outcome_of_the_centre(client_for, centre):
    outcome = outcome_of(centre)

    response = client_for("admin").post(
        edit_url(outcome), {"label": "Création ou reprise d'entreprise", "family": "employment"}
    )

    assert response.status_code == 302
    outcome.refresh_from_db()
    assert (outcome.label, outcome.is_positive) == ("Création ou reprise d'entreprise", False)


def test_it_keeps_an_outcome_in_its_centre_whatever_is_posted(client_for, centre, other_centre):
    outcome = outcome_of(centre)

    client_for("coordinator").post(
        edit_url(outcome),
        {"label": "Création d'entreprise", "family": "employment", "centre": other_centre.pk},
    )

    outcome.refresh_from_db()
    assert outcome.centre == centre


def test_it_keeps_the_defaults_read_only(client_for):
    default = ExitOutcome.objects.get(centre=None, label="Autre")
    client = client_for("coordinator")

    assert client.get(edit_url(default)).status_code == 403
    assert client.post(edit_url(default), {"label": "Divers", "family": "other"}).status_code == 403
    default.refresh_from_db()
    assert default.label == "Autre"


def test_it_does_not_find_an_outcome_of_another_centre(client_for, other_centre):
    elsewhere = outcome_of(other_centre)
    client = client_for("coordinator")

    assert client.get(edit_url(elsewhere)).status_code == 404
    assert client.post(edit_url(elsewhere), {"label": "Pris", "family": "other"}).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.label == "Création d'entreprise"


@pytest.mark.parametrize("actor", ["facilitator", "partner_worker", "director"])
def test_it_is_refused_to_those_who_do_not_manage_the_centre(client_for, centre, actor):
    client = client_for(actor)

    assert client.get(reverse("pathways:exit_outcomes")).status_code == 403
    assert client.get(edit_url(outcome_of(centre))).status_code == 403
