"""Every date of every form lies between 1900 and 2100, every text has a length limit:
a typing slip or a forged value gets a French error on the page, never a server error
nor a record no screen can show. Every form is checked in tests/proofs/test_forms.py."""

import datetime

import pytest
from django import forms
from django.urls import reverse

from parcours.core.forms import BoundedForm
from parcours.pathways.models import Appointment
from parcours.people.enums import ReferralStatus
from parcours.people.models import Person

from ..pathways.factories import PathwayFactory
from ..people.factories import PersonFactory

OUT_OF_BOUNDS = ["0001-01-01T00:00", "1899-12-31T23:59", "2101-01-01T00:00", "9999-12-31T23:59"]
DATE_ERROR = "Choisissez une date entre 1900 et 2100."


@pytest.mark.parametrize("typed", OUT_OF_BOUNDS)
def test_it_refuses_an_intake_outside_1900_2100_in_french(client_for, referred, typed):
    response = client_for("coordinator").post(
        reverse("people:referral_plan", args=[referred.pk]), {"intake_on": typed}
    )
    assert response.status_code == 400  # the referral's page, with the form's errors
    assert DATE_ERROR in response.content.decode()
    referred.refresh_from_db()
    assert referred.status == ReferralStatus.RECEIVED


@pytest.mark.parametrize("typed", ["1900-01-01T00:00", "2100-12-31T23:59"])
def test_it_takes_an_intake_at_the_edges(client_for, referred, typed):
    response = client_for("coordinator").post(
        reverse("people:referral_plan", args=[referred.pk]), {"intake_on": typed}
    )
    assert response.status_code == 302
    referred.refresh_from_db()
    assert referred.status == ReferralStatus.INTAKE_PLANNED


@pytest.mark.parametrize("typed", OUT_OF_BOUNDS)
def test_it_refuses_an_appointment_outside_1900_2100_in_french(client_for, centre, typed):
    pathway = PathwayFactory(centre=centre)
    response = client_for("coordinator").post(
        reverse("pathways:appointment_create", args=[pathway.pk]),
        {"starts_at": typed, "duration": "45", "kind": "follow_up", "status": "planned"},
    )
    assert response.status_code == 200
    assert DATE_ERROR in response.content.decode()
    assert not Appointment.objects.exists()


def test_it_bounds_a_date_field_added_after_the_form_was_made():
    class Late(BoundedForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["on"] = forms.DateField()

    form = Late(data={"on": "9999-12-31"})
    assert not form.is_valid()
    assert form.errors["on"] == [DATE_ERROR]


def test_it_tells_the_browser_the_bounds():
    class Dated(BoundedForm):
        on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    html = str(Dated()["on"])
    assert 'min="1900-01-01"' in html
    assert 'max="2100-12-31"' in html


def test_it_refuses_a_two_megabyte_paste_in_the_notes_in_french(client_for, centre):
    person = PersonFactory(centre=centre, last_name="Martin", first_name="Anne")
    client = client_for("coordinator")
    response = client.post(
        reverse("people:edit", args=[person.pk]),
        {
            "last_name": "Martin",
            "first_name": "Anne",
            "notes": "a" * 2_000_000,
            "version": person.version,
        },
    )
    assert "comporte au plus 10000 caractères" in response.content.decode()
    assert Person.objects.get(pk=person.pk).notes == ""


def test_it_shows_the_limit_to_the_browser(client_for, centre):
    person = PersonFactory(centre=centre)
    page = client_for("coordinator").get(reverse("people:edit", args=[person.pk]))
    assert 'maxlength="10000"' in page.content.decode()


def test_the_edges_of_the_bounds_are_whole_days():
    from parcours.core.forms import DATE_MAX, DATE_MIN

    assert (datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)) == (DATE_MIN, DATE_MAX)
