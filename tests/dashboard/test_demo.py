import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.urls import reverse

from parcours.centres.demo import DEMO_PASSWORD, USERS
from parcours.centres.models import Centre

DEMO_APPS = ["accounts", "centres", "partners", "people", "consent"]


def snapshot():
    return {
        model._meta.label: serializers.serialize("json", model.objects.order_by("pk"))
        for app in DEMO_APPS
        for model in apps.get_app_config(app).get_models()
    }


@pytest.mark.django_db
def test_load_demo_creates_the_seed_centre_and_one_login_per_role(client, capsys):
    call_command("load_demo")
    centre = Centre.objects.get(slug="le-lierre")
    assert centre.name == "Centre « Le Lierre »"
    assert centre.programmes.get().name == "Objectif : Insertion(s)"
    # Its notice names a (fictional) data protection contact.
    assert "donnees@le-lierre.example" in centre.privacy_contact
    assert sorted(centre.places.values_list("address", flat=True)) == [
        "19 boulevard Charlemagne",
        "31 avenue de Guise",
        "56 route de la Briquerie",
        "place Roland",
    ]
    assert sorted(centre.memberships.values_list("role", flat=True)) == sorted(
        role for *_, role in USERS
    )
    out = capsys.readouterr().out
    for email, *_ in USERS:
        assert email in out
        response = client.post(
            reverse("accounts:login"), {"username": email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, email
        client.logout()


@pytest.mark.django_db
def test_load_demo_twice_adds_nothing_and_changes_nothing():
    call_command("load_demo", quiet_logins=True)
    first = snapshot()
    call_command("load_demo", quiet_logins=True)
    assert snapshot() == first


@pytest.mark.django_db
def test_load_demo_keeps_what_a_user_changed():
    call_command("load_demo", quiet_logins=True)
    Centre.objects.filter(slug="le-lierre").update(address="Nouvelle adresse")
    call_command("load_demo", quiet_logins=True)
    assert Centre.objects.get(slug="le-lierre").address == "Nouvelle adresse"


@pytest.mark.django_db
def test_the_demo_centre_has_about_ninety_people_mostly_from_the_quartier_est():
    from parcours.people.models import Person, Referral

    call_command("load_demo", quiet_logins=True)
    people = Person.objects.filter(centre__slug="le-lierre")
    assert 80 <= people.count() <= 100
    east = people.filter(neighbourhood__name="Quartier-Est", neighbourhood__is_qpv=True).count()
    assert east > people.count() / 2
    dates = Referral.objects.values_list("received_on", flat=True)
    assert (max(dates) - min(dates)).days > 600
    assert set(people.values_list("status", flat=True)) >= {"active", "referred", "not_admitted"}
    # The demo partner worker has people to see.
    assert Referral.objects.filter(referrer_user__email="partenaire@le-lierre.example").exists()
