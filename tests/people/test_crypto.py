import importlib
import re
import subprocess
import sys
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.test import override_settings
from django.urls import reverse

from parcours.people.crypto import ConfidentialDataLocked, EncryptedTextField
from parcours.people.models import ConfidentialNote

from ..test_settings import PRODUCTION_ENV, ROOT, _environment
from .factories import PersonFactory, agreed_to_sensitive_data

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
WRONG_KEY = Fernet.generate_key().decode()
MARKERS = {
    "health": "MARQUEUR-SANTE-7f3a",
    "addictions": "MARQUEUR-ADDICTION-7f3a",
    "violence": "MARQUEUR-VIOLENCE-7f3a",
}
migration = importlib.import_module("parcours.people.migrations.0004_encrypt_confidential_note")


def raw(note):
    """The three columns as the database holds them, past the field."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT health, addictions, violence FROM people_confidentialnote WHERE id = %s",
            [note.pk],
        )
        return dict(zip(MARKERS, cursor.fetchone(), strict=True))


def write_raw(note, **values):
    with connection.cursor() as cursor:
        for column, value in values.items():
            cursor.execute(
                f"UPDATE people_confidentialnote SET {column} = %s WHERE id = %s",  # noqa: S608
                [value, note.pk],
            )


def note_with_markers():
    return ConfidentialNote.objects.create(person=PersonFactory(), **MARKERS)


def read_all():
    return {
        note.pk: (note.health, note.addictions, note.violence)
        for note in ConfidentialNote.objects.all()
    }


@pytest.mark.django_db
def test_it_stores_no_plaintext_in_the_database():
    note = note_with_markers()
    for field, stored in raw(note).items():
        assert stored.startswith("fernet:")
        assert MARKERS[field] not in stored
        assert "MARQUEUR" not in stored
    assert ConfidentialNote.objects.filter(pk=note.pk).values(*MARKERS).get() == MARKERS


@pytest.mark.django_db
def test_it_reads_back_the_text():
    note = note_with_markers()
    again = ConfidentialNote.objects.get(pk=note.pk)
    assert (again.health, again.addictions, again.violence) == tuple(MARKERS.values())


@pytest.mark.django_db
def test_it_leaves_an_empty_text_empty():
    note = ConfidentialNote.objects.create(person=PersonFactory(), health="Asthme.")
    assert raw(note)["addictions"] == "" and raw(note)["violence"] == ""
    again = ConfidentialNote.objects.get(pk=note.pk)
    assert again.addictions == "" and again.violence == ""
    assert ConfidentialNote.objects.filter(addictions="").count() == 1


@pytest.mark.django_db
def test_it_keeps_every_note_readable_through_a_key_rotation():
    with override_settings(CONFIDENTIAL_KEYS=[OLD_KEY]):
        notes = [note_with_markers() for _ in range(3)]
        expected = read_all()
    before = {note.pk: raw(note) for note in notes}

    with override_settings(CONFIDENTIAL_KEYS=[NEW_KEY, OLD_KEY]):
        assert read_all() == expected
        out = StringIO()
        call_command("rotate_confidential_key", stdout=out)
    assert "3 volets confidentiels rechiffrés" in out.getvalue()

    for note in notes:
        assert raw(note) != before[note.pk]
    with override_settings(CONFIDENTIAL_KEYS=[NEW_KEY]):
        assert read_all() == expected
    with override_settings(CONFIDENTIAL_KEYS=[OLD_KEY]), pytest.raises(ConfidentialDataLocked):
        read_all()


@pytest.mark.django_db
def test_it_rotates_nothing_when_one_note_cannot_be_read():
    with override_settings(CONFIDENTIAL_KEYS=[OLD_KEY]):
        readable = note_with_markers()
    with override_settings(CONFIDENTIAL_KEYS=[WRONG_KEY]):
        lost = note_with_markers()
    before = [raw(readable), raw(lost)]
    with (
        override_settings(CONFIDENTIAL_KEYS=[NEW_KEY, OLD_KEY]),
        pytest.raises(CommandError, match="CONFIDENTIAL_KEYS"),
    ):
        call_command("rotate_confidential_key", stdout=StringIO())
    assert [raw(readable), raw(lost)] == before


@pytest.mark.django_db
def test_it_raises_with_a_wrong_key_instead_of_returning_ciphertext_or_nothing():
    note = note_with_markers()
    with override_settings(CONFIDENTIAL_KEYS=[WRONG_KEY]):
        with pytest.raises(ConfidentialDataLocked, match="vérifiez .*CONFIDENTIAL_KEYS"):
            ConfidentialNote.objects.get(pk=note.pk)
        with pytest.raises(ConfidentialDataLocked):
            ConfidentialNote.objects.values_list("health", flat=True).get(pk=note.pk)


@pytest.mark.django_db
def test_it_raises_on_plaintext_where_a_token_should_be():
    note = note_with_markers()
    write_raw(note, health="Texte jamais chiffré")
    with pytest.raises(ConfidentialDataLocked):
        ConfidentialNote.objects.get(pk=note.pk)


@pytest.mark.django_db
def test_it_raises_without_any_key():
    with override_settings(CONFIDENTIAL_KEYS=[]), pytest.raises(ConfidentialDataLocked):
        note_with_markers()


def test_it_shows_the_confidential_page_to_the_coordinator(client_for, referred):
    person = agreed_to_sensitive_data(referred.person)
    client = client_for("coordinator")
    response = client.post(
        reverse("people:confidential_edit", args=[person.pk]),
        {**MARKERS, "addictions": "", "version": person.version},
    )
    assert response.status_code == 302
    page = client.get(reverse("people:confidential", args=[person.pk])).content.decode()
    assert MARKERS["health"] in page and MARKERS["violence"] in page
    stored = raw(ConfidentialNote.objects.get(person=person))
    assert MARKERS["health"] not in stored["health"] and stored["addictions"] == ""


@pytest.mark.django_db
def test_it_encrypts_the_rows_written_before_the_migration_and_decrypts_them_back():
    note = note_with_markers()
    write_raw(note, **{**MARKERS, "addictions": ""})

    migration.encrypt_existing(apps, connection.schema_editor())
    stored = raw(note)
    assert stored["health"].startswith("fernet:") and MARKERS["health"] not in stored["health"]
    assert stored["addictions"] == ""
    again = ConfidentialNote.objects.get(pk=note.pk)
    assert (again.health, again.violence) == (MARKERS["health"], MARKERS["violence"])

    migration.encrypt_existing(apps, connection.schema_editor())  # twice changes nothing
    assert raw(note) == stored
    migration.decrypt_existing(apps, connection.schema_editor())
    assert raw(note) == {**MARKERS, "addictions": ""}


def test_it_fails_check_deploy_without_confidential_keys():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "CONFIDENTIAL_KEYS"}
    inherited = {k: v for k, v in _environment().items() if k != "CONFIDENTIAL_KEYS"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env={**inherited, "DJANGO_SETTINGS_MODULE": "parcours.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "CONFIDENTIAL_KEYS doit être défini quand DEBUG est désactivé" in result.stderr


def test_it_reports_an_invalid_key_to_check_deploy():
    from parcours.people.checks import confidential_keys_are_set

    with override_settings(CONFIDENTIAL_KEYS=["pas-une-clé"]):
        errors = confidential_keys_are_set(None)
    assert [error.id for error in errors] == ["parcours.E003"]
    assert "pas-une-clé" not in errors[0].msg


@pytest.mark.django_db
def test_a_file_is_anonymised_even_when_its_key_is_lost():
    from django.utils import timezone

    from parcours.privacy.services import person_anonymise

    note = note_with_markers()
    with override_settings(CONFIDENTIAL_KEYS=[WRONG_KEY]):
        person_anonymise(person=note.person, today=timezone.localdate())
    assert not ConfidentialNote.objects.filter(pk=note.pk).exists()


def test_a_wrong_key_gives_a_page_that_says_so_and_changes_nothing(client_for, referred):
    person = agreed_to_sensitive_data(referred.person)
    ConfidentialNote.objects.create(person=person, health="Suivi au CMP.")
    client = client_for("coordinator")
    client.raise_request_exception = False
    with override_settings(CONFIDENTIAL_KEYS=[WRONG_KEY]):
        response = client.get(reverse("people:confidential", args=[person.pk]))
        saved = client.post(
            reverse("people:confidential_edit", args=[person.pk]),
            {"health": "Autre.", "addictions": "", "violence": "", "version": person.version},
        )
    for answer in (response, saved):
        assert answer.status_code == 503
        assert "CONFIDENTIAL_KEYS" in answer.content.decode()
    assert ConfidentialNote.objects.get(person=person).health == "Suivi au CMP."


def _privacy_fields(label):
    """The `Model.field` names that docs/privacy.md lists after "- <label>"."""
    doc = (ROOT / "docs" / "privacy.md").read_text()
    item = doc.partition(f"  - {label}")[2].split("\n  - ", 1)[0]
    return set(re.findall(r"`([A-Z]\w+\.\w+)`", item))


def test_it_names_in_the_privacy_notice_each_field_it_encrypts_and_no_other():
    fields = {
        f"{model.__name__}.{field.name}": field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField)
    }
    encrypted = {name for name, field in fields.items() if isinstance(field, EncryptedTextField)}
    assert _privacy_fields("Chiffrés") == encrypted
    in_clear = _privacy_fields("En clair")
    assert in_clear and in_clear <= set(fields) - encrypted
