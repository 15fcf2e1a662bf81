"""The accessibility statement (RGAA): public, linked from every page's footer."""

from django.urls import reverse

STATEMENT = reverse("dashboard:accessibility")


def test_it_shows_the_statement_to_anyone_with_its_status_checks_and_appeal(client, db):
    response = client.get(STATEMENT)
    assert response.status_code == 200
    html = response.content.decode()
    for said in [
        "Déclaration d'accessibilité",
        "non conforme",
        "RGAA 4.1",
        "axe-core",
        "Défenseur des droits",
        "Libre réponse 71120",
    ]:
        assert said in html, said


def test_it_names_the_configured_contact_or_the_centres_administration(client, db, settings):
    assert "l'administration du centre social" in client.get(STATEMENT).content.decode()
    settings.ACCESSIBILITY_CONTACT = "accessibilite@le-lierre.example"
    assert "accessibilite@le-lierre.example" in client.get(STATEMENT).content.decode()


def test_every_page_links_it_from_its_footer(client, client_for):
    login = client.get(reverse("accounts:login")).content.decode()
    home = client_for("coordinator").get(reverse("dashboard:home")).content.decode()
    for html in (login, home):
        assert f'<a href="{STATEMENT}">Accessibilité : non conforme' in html
