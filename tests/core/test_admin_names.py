"""The Django admin names every section in French, third-party apps' included."""

from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from ..factories import UserFactory, verified_login


def test_it_names_every_section_of_the_admin_in_french(client, db):
    verified_login(client, UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:index")).content.decode()
    for name in [
        "Tentatives de connexion et verrouillages",
        "Double authentification : applications",
        "Double authentification : codes de secours",
        "Tâches en arrière-plan (e-mails)",
    ]:
        assert name in page, name
    # No third-party section keeps the name Django makes from its label ("Axes").
    sections = {model._meta.app_config for model in admin.site._registry}
    for config in sections:
        if not config.name.startswith(("parcours.", "django.contrib.")):
            assert config.verbose_name != config.label.title(), config.label
    assert apps.get_app_config("axes").name == "axes"  # only the name changed
