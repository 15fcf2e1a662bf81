"""Retention with frozen time: the services and the command take the day to consider
(`today=`, `--date`), so no clock is patched."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from parcours.audit.models import AuditEvent, SecurityEvent
from parcours.pathways.enums import AppointmentStatus
from parcours.people.enums import Direction
from parcours.people.models import Person, Referral, ReferralEvent
from parcours.privacy import services
from parcours.privacy.models import LegalHold
from parcours.privacy.retention import (
    add_months,
    coarse_birth_date,
    soon_archived,
    with_last_contact,
)
from parcours.workshops.enums import EnrolmentStatus, Presence
from parcours.workshops.models import Attendance, Enrolment

from ..pathways.factories import AppointmentFactory, PathwayFactory
from ..workshops.factories import EnrolmentFactory, SessionFactory, WorkshopFactory
from .conftest import at, file_created

# The last contact of the timeline tests: a held appointment on 10 May 2024. With the
# default 24 months, the file is archived on 10 May 2026; 23 months after the contact
# (10 April 2026) it is 30 days away.
CONTACT = datetime.date(2024, 5, 10)
MONTHS_23 = datetime.date(2026, 4, 10)
MONTHS_24 = datetime.date(2026, 5, 10)
# A day long before the spans tested: contacts on it count for nothing there.
OLD = datetime.date(2020, 3, 2)


def state(person):
    person.refresh_from_db()
    return person.archived_on, person.anonymised_on


@pytest.fixture
def followed(centre, old_file):
    person = old_file(last_name="Contact", first_name="Dernier")
    pathway = PathwayFactory(
        centre=centre, person=person, started_on=datetime.date(2023, 1, 9), ended_on=CONTACT
    )
    AppointmentFactory(pathway=pathway, starts_at=at(CONTACT), status=AppointmentStatus.HELD)
    return person


def test_add_months_keeps_the_day_or_takes_the_last_of_a_shorter_month():
    assert add_months(datetime.date(2024, 5, 10), 24) == datetime.date(2026, 5, 10)
    assert add_months(datetime.date(2026, 3, 31), -1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2026, 1, 15), -13) == datetime.date(2024, 12, 15)


def test_it_takes_the_latest_contact_of_every_kind(centre, old_file):
    person = old_file()
    assert with_last_contact(Person.objects.filter(pk=person.pk)).get().last_contact == (
        datetime.date(2020, 1, 6)
    )
    pathway = PathwayFactory(centre=centre, person=person, started_on=datetime.date(2021, 2, 1))
    AppointmentFactory(pathway=pathway, starts_at=at(datetime.date(2021, 5, 3)), status="held")
    # Neither a planned appointment nor an absence is a contact.
    AppointmentFactory(pathway=pathway, starts_at=at(datetime.date(2023, 1, 2)))
    session = SessionFactory(
        workshop=WorkshopFactory(centre=centre), date=datetime.date(2022, 3, 7)
    )
    Attendance.objects.create(session=session, person=person, presence=Presence.PRESENT)
    late = SessionFactory(workshop=session.workshop, date=datetime.date(2023, 6, 5))
    Attendance.objects.create(session=late, person=person, presence=Presence.ABSENT)
    found = with_last_contact(Person.objects.filter(pk=person.pk)).get()
    assert found.last_contact == datetime.date(2022, 3, 7)
    pathway.ended_on = datetime.date(2022, 9, 30)
    pathway.save()
    found = with_last_contact(Person.objects.filter(pk=person.pk)).get()
    assert found.last_contact == datetime.date(2022, 9, 30)


def test_untouched_but_listed_at_23_months(centre, followed):
    run = services.retention_apply(centre=centre, today=MONTHS_23, wet_run=True)
    assert state(followed) == (None, None)
    assert run.warned == [(followed.pk, CONTACT, MONTHS_24)]
    assert [p.pk for p in soon_archived(centre, MONTHS_23)] == [followed.pk]
    # A day earlier (31 days before) it is not listed yet.
    assert soon_archived(centre, MONTHS_23 - datetime.timedelta(days=1)) == []


def test_the_home_list_agrees_with_the_last_contact_for_every_kind_of_contact(centre, old_file):
    """`soon_archived` reads the contacts of the warning span, `retention_apply` the
    last contact of every file: on MONTHS_23 the span is 10 April 2024 (excluded) to
    10 May 2024, and both must find the same files, whatever the kind of the last
    contact and wherever it falls around the span's ends. The command also lists the
    files already past their date that were never listed (here, the first run): once
    it has run, the home list shows them too."""
    workshop = WorkshopFactory(centre=centre)

    def appointment(person, day):
        pathway = PathwayFactory(centre=centre, person=person, started_on=OLD)
        AppointmentFactory(pathway=pathway, starts_at=at(day), status=AppointmentStatus.HELD)

    def presence(person, day):
        session = SessionFactory(workshop=workshop, date=day)
        Attendance.objects.create(session=session, person=person, presence=Presence.PRESENT)

    def referral(person, day, direction=Direction.IN):
        return Referral.objects.create(
            centre=centre, person=person, direction=direction, received_on=day
        )

    def referral_event(person, day):
        received = referral(person, OLD)
        ReferralEvent.objects.create(referral=received, to_status="accepted", at=at(day))

    def entry(person, day):
        PathwayFactory(centre=centre, person=person, started_on=day)

    def exit(person, day):
        PathwayFactory(centre=centre, person=person, started_on=OLD, ended_on=day)

    def creation(person, day):
        file_created(person, day)

    kinds = [appointment, presence, referral, referral_event, entry, exit, creation]
    days = [
        datetime.date(2024, 4, 10),
        datetime.date(2024, 4, 11),
        datetime.date(2024, 5, 10),
        datetime.date(2024, 5, 11),
    ]
    for kind in kinds:
        for day in days:
            kind(old_file(last_name=f"{kind.__name__} {day}"), day)
    # A contact in the span, then an absence and a planned appointment (no contacts).
    quiet = old_file(last_name="absente ensuite")
    presence(quiet, days[1])
    Attendance.objects.create(
        session=SessionFactory(workshop=workshop, date=datetime.date(2025, 1, 6)),
        person=quiet,
        presence=Presence.ABSENT,
    )
    AppointmentFactory(
        pathway=PathwayFactory(centre=centre, person=quiet, started_on=OLD),
        starts_at=at(datetime.date(2025, 2, 3)),
    )
    # A contact in the span, then a relay sent later: no longer listed.
    relayed = old_file(last_name="relayée ensuite")
    presence(relayed, days[2])
    referral(relayed, datetime.date(2024, 6, 3), direction=Direction.OUT)

    listed = soon_archived(centre, MONTHS_23)
    names = {person.last_name for person in listed}
    assert names == {f"{kind.__name__} {day}" for kind in kinds for day in days[1:3]} | {
        "absente ensuite"
    }
    run = services.retention_apply(centre=centre, today=MONTHS_23)
    overdue = {f"{kind.__name__} {day}" for kind in kinds for day in days[:1]}
    warned = {pk for pk, _, _ in run.warned}
    assert {p.last_name for p in Person.objects.filter(pk__in=warned)} == names | overdue
    # Never listed, the files past their date are not archived on this first run.
    assert run.archived == []
    services.retention_apply(centre=centre, today=MONTHS_23, wet_run=True)
    assert {person.pk for person in soon_archived(centre, MONTHS_23)} == warned


def test_the_coordinator_home_lists_the_files_soon_archived(
    centre, followed, client_for, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: MONTHS_23)
    page = client_for("coordinator").get(reverse("dashboard:home")).content.decode()
    assert "Dossiers bientôt archivés" in page
    assert "CONTACT Dernier" in page
    assert "archivé le 10/05/2026" in page


def test_archived_at_24_months_and_anonymised_after_the_archive_period(centre, followed):
    # The daily command lists the file at 23 months (test above).
    services.retention_apply(centre=centre, today=MONTHS_23, wet_run=True)
    services.retention_apply(
        centre=centre, today=MONTHS_24 - datetime.timedelta(days=1), wet_run=True
    )
    assert state(followed) == (None, None)
    services.retention_apply(centre=centre, today=MONTHS_24, wet_run=True)
    assert state(followed) == (MONTHS_24, None)
    assert soon_archived(centre, MONTHS_24) == []
    end_of_archive = add_months(MONTHS_24, centre.archive_months)
    services.retention_apply(
        centre=centre, today=end_of_archive - datetime.timedelta(days=1), wet_run=True
    )
    assert state(followed) == (MONTHS_24, None)
    services.retention_apply(centre=centre, today=end_of_archive, wet_run=True)
    assert state(followed) == (MONTHS_24, end_of_archive)
    assert followed.last_name == "Anonyme"


def test_a_centre_period_of_its_own_is_followed(centre, followed):
    centre.retention_months = 12
    centre.save()
    due = add_months(CONTACT, 12)
    services.retention_apply(centre=centre, today=due - datetime.timedelta(days=30), wet_run=True)
    services.retention_apply(centre=centre, today=due, wet_run=True)
    assert state(followed)[0] == due


def test_files_past_their_date_when_the_period_is_shortened_are_listed_30_days_first(
    centre, followed, client_for
):
    """Two years after the last contact, the centre shortens its period to a year: the
    file is already a year past its new date. It is listed first, then archived 30 days
    later, never at once."""
    today = MONTHS_24 - datetime.timedelta(days=40)
    centre.retention_months = 12
    centre.save()
    run = services.retention_apply(centre=centre, today=today, wet_run=True)
    in_30_days = today + datetime.timedelta(days=30)
    assert (run.archived, run.warned) == ([], [(followed.pk, CONTACT, in_30_days)])
    assert state(followed) == (None, None)
    [listed] = soon_archived(centre, today + datetime.timedelta(days=1))
    assert (listed.pk, listed.archive_on) == (followed.pk, in_30_days)
    services.retention_apply(
        centre=centre, today=in_30_days - datetime.timedelta(days=1), wet_run=True
    )
    assert state(followed) == (None, None)
    services.retention_apply(centre=centre, today=in_30_days, wet_run=True)
    assert state(followed) == (in_30_days, None)


def test_a_contact_after_the_listing_takes_the_file_off_the_list(centre, followed):
    services.retention_apply(centre=centre, today=MONTHS_23, wet_run=True)
    followed.refresh_from_db()
    assert followed.retention_listed_on == MONTHS_23
    pathway = PathwayFactory(centre=centre, person=followed, started_on=OLD)
    later = MONTHS_23 + datetime.timedelta(days=5)
    AppointmentFactory(pathway=pathway, starts_at=at(later), status=AppointmentStatus.HELD)
    assert soon_archived(centre, later) == []
    services.retention_apply(centre=centre, today=MONTHS_24, wet_run=True)
    followed.refresh_from_db()
    assert (followed.archived_on, followed.retention_listed_on) == (None, None)


def test_a_dry_run_changes_nothing(centre, followed, users):
    before = AuditEvent.objects.count(), SecurityEvent.objects.count()
    far = datetime.date(2040, 1, 1)
    run = services.retention_apply(centre=centre, today=far)
    assert run.warned == [(followed.pk, CONTACT, far + datetime.timedelta(days=30))]
    followed.refresh_from_db()
    assert followed.retention_listed_on is None  # a dry run does not list either
    Person.objects.filter(pk=followed.pk).update(retention_listed_on=datetime.date(2039, 1, 2))
    run = services.retention_apply(centre=centre, today=far)
    assert run.archived == [(followed.pk, CONTACT)]
    assert run.audit_rows > 0
    assert state(followed) == (None, None)
    assert (AuditEvent.objects.count(), SecurityEvent.objects.count()) == before


def test_archiving_ends_the_current_enrolments(centre, followed):
    enrolment = EnrolmentFactory(workshop=WorkshopFactory(centre=centre), person=followed)
    services.person_archive(person=followed, today=MONTHS_24)
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.ends_on) == (EnrolmentStatus.ENDED, MONTHS_24)
    assert not Enrolment.objects.filter(person=followed).exclude(status=EnrolmentStatus.ENDED)


def test_archiving_and_anonymising_move_the_version_so_an_open_form_cannot_save_back(
    centre, followed
):
    loaded = followed.version
    services.person_archive(person=followed, today=MONTHS_24)
    followed.refresh_from_db()
    archived = followed.version
    services.person_anonymise(person=followed, today=MONTHS_24)
    followed.refresh_from_db()
    assert loaded < archived < followed.version


def test_a_legal_hold_keeps_an_archived_file_from_anonymisation(centre, followed):
    services.person_archive(person=followed, today=MONTHS_24)
    LegalHold.objects.create(
        person=followed, reason="Procédure prud'homale.", recorded_on=MONTHS_24
    )
    later = add_months(MONTHS_24, 61)
    run = services.retention_apply(centre=centre, today=later, wet_run=True)
    assert state(followed) == (MONTHS_24, None)
    # The command's output (a cron log) says that a hold keeps the file, not its reason.
    assert run.kept == [
        (followed.pk, [f"conservation pour motif légal décidée le {MONTHS_24:%d/%m/%Y}"])
    ]


def test_the_command_is_a_dry_run_by_default_then_acts_once(centre, followed):
    # The run of the day the file was listed, 30 days before.
    call_command("apply_retention", "--date", "2026-04-10", "--wet-run", stdout=io.StringIO())
    out = io.StringIO()
    call_command("apply_retention", "--date", "2026-05-10", stdout=out)
    text = out.getvalue()
    assert "SIMULATION" in text
    assert (
        f"À archiver : 1 dossier\n    dossier n° {followed.pk} (dernier contact le 10/05/2024)"
        in text
    )
    assert "Contact" not in text  # numbers, never names
    assert state(followed) == (None, None)

    out = io.StringIO()
    call_command("apply_retention", "--date", "2026-05-10", "--wet-run", stdout=out)
    assert f"Archivés : 1 dossier\n    dossier n° {followed.pk}" in out.getvalue()
    assert state(followed) == (MONTHS_24, None)

    out = io.StringIO()
    call_command("apply_retention", "--date", "2026-05-10", "--wet-run", stdout=out)
    assert "Archivés : 0 dossier" in out.getvalue()
    assert state(followed) == (MONTHS_24, None)


def test_the_command_agrees_what_it_deletes_with_lines_and_events(centre):
    out = io.StringIO()
    call_command("apply_retention", "--date", "2026-05-10", "--wet-run", stdout=out)
    text = out.getvalue()
    assert re.search(r"lignes? d'audit supprimées?, \d+ événements? de sécurité supprimés?", text)
    assert re.search(r"\(adresse, navigateur\) : \d+ lignes? supprimées?\n", text)
    assert "lignes supprimés" not in text and "ligne supprimé\n" not in text


@pytest.mark.parametrize("value", ["10/05/2026", "2026-13-01"])
def test_the_command_explains_a_bad_date(db, value):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        call_command("apply_retention", "--date", value)


def test_the_command_names_the_known_centres_when_one_is_unknown(centre):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="le-lierre"):
        call_command("apply_retention", "--centre", "inconnu")


def _rows_written_on(moment, centre, monkeypatch):
    """An audit row and a security event of `centre`, a security event of no centre and
    django-axes' records of a login and of a failed one, written at `moment` (the clock
    is set back while they are written: nothing can date them afterwards)."""
    from axes.models import AccessAttempt, AccessLog

    person = Person.objects.filter(centre=centre).first()
    with monkeypatch.context() as clock:
        clock.setattr("django.utils.timezone.now", lambda: moment)
        event = AuditEvent.objects.log_create(
            person, action=AuditEvent.Action.ACCESS, force_log=True, timestamp=moment
        )
        security = SecurityEvent.objects.create(kind="forbidden", centre=centre, path="/")
        without_centre = SecurityEvent.objects.create(kind="login_failed", username="x@example.org")
        login = {"username": "x@example.org", "ip_address": "192.0.2.1", "user_agent": "Firefox"}
        access = AccessLog.objects.create(**login)
        attempt = AccessAttempt.objects.create(**login, failures_since_start=1)
    return event, security, without_centre, access, attempt


@pytest.mark.parametrize("days, kept", [(364, True), (366, False)])
def test_audit_rows_are_kept_364_days_and_purged_at_366(centre, followed, monkeypatch, days, kept):
    today = datetime.date(2026, 12, 1)
    moment = at(today) - datetime.timedelta(days=days)
    rows = _rows_written_on(moment, centre, monkeypatch)
    call_command("apply_retention", "--date", today.isoformat(), "--wet-run", stdout=io.StringIO())
    assert AuditEvent.objects.filter(pk=rows[0].pk).exists() is kept
    assert SecurityEvent.objects.filter(pk=rows[1].pk).exists() is kept
    assert SecurityEvent.objects.filter(pk=rows[2].pk).exists() is kept
    assert type(rows[3]).objects.filter(pk=rows[3].pk).exists() is kept
    assert type(rows[4]).objects.filter(pk=rows[4].pk).exists() is kept


def test_the_trail_of_a_centre_follows_its_own_period(centre, followed, monkeypatch):
    centre.audit_retention_months = 6
    centre.save()
    today = datetime.date(2026, 12, 1)
    rows = _rows_written_on(at(today) - datetime.timedelta(days=200), centre, monkeypatch)
    services.retention_apply(centre=centre, today=today, wet_run=True)
    assert not AuditEvent.objects.filter(pk=rows[0].pk).exists()
    assert SecurityEvent.objects.filter(pk=rows[2].pk).exists()  # no centre: 12 months


def test_audit_rows_cannot_be_deleted_but_by_the_privacy_services(centre, followed):
    from parcours.audit.models import ImmutableRowError

    with pytest.raises(ImmutableRowError):
        AuditEvent.objects.all().delete()
    with pytest.raises(ImmutableRowError):
        SecurityEvent.objects.all().delete()


def test_the_coarse_birth_date_gives_the_same_ages_on_entries_and_year_ends():
    """Brute force over birthdays of a leap and a common year against entry days."""
    from parcours.reports.queries import born_before

    def age(birth, day):
        return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))

    entries = [
        datetime.date(2024, 2, 29),
        datetime.date(2025, 3, 1),
        datetime.date(2025, 9, 15),
        datetime.date(2026, 1, 5),
    ]
    for year in (1984, 1985):
        day = datetime.date(year, 1, 1)
        while day.year == year:
            coarse = coarse_birth_date(day, entries)
            assert coarse.year == year
            for entry in entries:
                assert age(coarse, entry) == age(day, entry), (day, entry)
            for end in (datetime.date(2025, 12, 31), datetime.date(2024, 12, 31)):
                assert (coarse <= born_before(end, 40)) == (day <= born_before(end, 40))
            day += datetime.timedelta(days=1)
    assert coarse_birth_date(None, entries) is None
    assert coarse_birth_date(datetime.date(1990, 6, 1), []) == datetime.date(1990, 12, 31)


def test_one_failing_file_is_left_as_it_was_and_the_others_are_archived(
    centre, old_file, monkeypatch
):
    from django.core.management.base import CommandError

    broken, fine = old_file(last_name="Cassé"), old_file(last_name="Sain")
    # Listed by an earlier run.
    Person.objects.update(retention_listed_on=datetime.date(2026, 10, 1))
    archive = services.person_archive

    def failing(*, person, today, by=None):
        if person.pk == broken.pk:
            # Half of the work done, then a failure: the file's transaction undoes it.
            Person.objects.filter(pk=person.pk).update(notes="à moitié")
            raise RuntimeError("disque plein")
        return archive(person=person, today=today, by=by)

    monkeypatch.setattr(services, "person_archive", failing)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 dossier en échec"):
        call_command("apply_retention", "--date", "2026-12-01", "--wet-run", stdout=out)
    text = out.getvalue()
    assert f"ÉCHEC, laissés tels quels : 1 dossier\n    dossier n° {broken.pk}" in text
    # Counted once, as a failure, not also as archived.
    assert f"Archivés : 1 dossier\n    dossier n° {fine.pk} " in text
    assert state(broken) == (None, None) and broken.notes != "à moitié"
    assert state(fine) == (datetime.date(2026, 12, 1), None)
