import datetime
import hashlib
import os
import shlex
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import holidays
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from bench.generator import build
from bench.generator.build import GeneratorError, generate
from parcours.accounts.models import User
from parcours.audit.models import AuditEvent
from parcours.centres.enums import Role
from parcours.centres.models import Centre, Membership
from parcours.consent.models import ConsentRecord
from parcours.core.search import name_key
from parcours.pathways.enums import AppointmentStatus, GoalStatus
from parcours.pathways.models import (
    Appointment,
    Assessment,
    CaseReview,
    CaseReviewItem,
    Goal,
    Pathway,
    PathwayExit,
    Score,
)
from parcours.people import file
from parcours.people.enums import (
    OPEN_REFERRAL_STATUSES,
    OPEN_RELAY_STATUSES,
    Direction,
    PersonStatus,
    ReferralStatus,
)
from parcours.people.models import Neighbourhood, Person, Referral
from parcours.people.services import person_status_refresh
from parcours.reports.layout import compute
from parcours.workshops.enums import EnrolmentStatus, SessionStatus
from parcours.workshops.models import (
    Attendance,
    ClosurePeriod,
    Enrolment,
    SchoolHoliday,
    Session,
    Workshop,
)
from parcours.workshops.services import PROMOTION_REASON

from ..factories import verified_login

END = datetime.date(2026, 6, 30)
SMALL = {"centres": 2, "people_per_centre": 50, "years": 2, "end": END}


def checksum():
    """A digest of every row the generator writes, ids and all."""
    digest = hashlib.sha256()
    tables = build.Tables()
    for table in tables.all:
        for row in table.model._base_manager.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


def generated_then_undone(**arguments):
    """Generate, take the checksum, and roll back: the next run starts from the same
    database state."""
    with transaction.atomic():
        counts = generate(**arguments)
        digest = checksum()
        transaction.set_rollback(True)
    return counts, digest


@pytest.fixture
def generated(db):
    return generate(seed=7, **SMALL)


@pytest.mark.django_db
def test_it_gives_the_same_rows_for_the_same_seed_and_others_for_another():
    counts, first = generated_then_undone(seed=3, **SMALL)
    assert counts["workshops_attendance"] > 1000
    assert Person.objects.count() == 0  # undone
    assert generated_then_undone(seed=3, **SMALL) == (counts, first)
    assert generated_then_undone(seed=4, **SMALL)[1] != first


def test_it_writes_every_kind_of_row(generated):
    empty = [table for table, count in generated.items() if not count]
    # The confidential section is written only when an encryption key is configured
    # (the test settings have one).
    assert empty == []
    assert Centre.objects.count() == 2
    assert Person.objects.count() == 100
    for centre in Centre.objects.all():
        roles = set(Membership.objects.filter(centre=centre).values_list("role", flat=True))
        assert roles == {role.value for role in Role}


def test_it_refuses_a_database_that_already_has_generated_data(generated):
    with pytest.raises(GeneratorError, match="--append"):
        generate(seed=7, **SMALL)
    with pytest.raises(CommandError, match="contient déjà 2 centre"):
        call_command("generate_data", "--size", "small", "--end", "2026-06-30")
    counts = generate(seed=8, append=True, **{**SMALL, "centres": 1})
    assert counts["centres_centre"] == 1
    assert Centre.objects.filter(slug__startswith="gen-003-").exists()


def schema():
    """Every constraint and index of the tables the generator loads, as the database
    describes them."""
    with connection.cursor() as cursor:
        return {
            table.model._meta.db_table: connection.introspection.get_constraints(
                cursor, table.model._meta.db_table
            )
            for table in build.Tables().all
        }


@pytest.mark.django_db
def test_it_leaves_the_schema_as_it_found_it_and_writes_no_audit_rows():
    # Keys and plain indexes are set aside during the load, then rebuilt.
    before = schema()
    audit_rows = AuditEvent.objects.count()
    generate(seed=1, **{**SMALL, "centres": 1})
    assert schema() == before
    assert AuditEvent.objects.count() == audit_rows


@pytest.mark.django_db
def test_accounts_have_no_usable_password_unless_one_is_given(client):
    generate(seed=1, **{**SMALL, "centres": 1})
    assert not any(user.has_usable_password() for user in User.objects.all())
    generate(seed=1, append=True, password="Un-mot-de-passe-solide-42", **{**SMALL, "centres": 1})
    user = User.objects.get(email="coordination@gen-002.example")
    assert user.check_password("Un-mot-de-passe-solide-42")
    response = client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": "Un-mot-de-passe-solide-42"},
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_failure_leaves_nothing(monkeypatch):
    calls = []
    original = build.CentreBuilder._case_reviews

    def fail_on_the_second_centre(self):
        calls.append(self.number)
        if len(calls) == 2:
            raise RuntimeError("panne simulée")
        original(self)

    monkeypatch.setattr(build.CentreBuilder, "_case_reviews", fail_on_the_second_centre)
    with pytest.raises(RuntimeError):
        generate(seed=1, **SMALL)
    assert Centre.objects.count() == 0
    assert Person.objects.count() == 0
    assert Attendance.objects.count() == 0


@pytest.mark.django_db
def test_the_command_generates_the_small_size_and_reports_counts(capsys):
    call_command("generate_data", "--size", "small", "--end", "2026-06-30", "--seed", "5")
    assert Centre.objects.count() == 1
    assert Person.objects.count() == 100
    out = capsys.readouterr().out
    assert "workshops_attendance" in out
    assert "lignes écrites" in out


ROOT = Path(__file__).resolve().parent.parent.parent
DOCUMENTED = "DJANGO_SETTINGS_MODULE=bench.settings .venv/bin/python manage.py generate_data "


def documented_commands():
    """Every `generate_data` command line of the READMEs and docs/, without its comment."""
    pages = [ROOT / "README.md", ROOT / "bench" / "README.md", *(ROOT / "docs").glob("*.md")]
    return [
        line.split("#")[0].strip()
        for page in pages
        for line in page.read_text().splitlines()
        if "manage.py generate_data" in line
    ]


def test_it_runs_as_documented_with_the_bench_settings_and_not_in_production(tmp_path):
    def manage(settings, *arguments):
        environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
        return subprocess.run(  # noqa: S603 (manage.py with the test's own arguments)
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env={
                **environment,
                "DJANGO_SETTINGS_MODULE": settings,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
                "PYTHONPATH": str(ROOT),
            },
            capture_output=True,
            text=True,
            timeout=120,
        )

    commands = documented_commands()
    assert len(commands) == 3
    assert all(command.startswith(DOCUMENTED) for command in commands), commands
    small = next(command for command in commands if "--size small" in command)
    variable, _python, _manage, *arguments = shlex.split(small)
    settings = variable.removeprefix("DJANGO_SETTINGS_MODULE=")
    assert manage(settings, "migrate", "--noinput", "-v", "0").returncode == 0
    generated = manage(settings, *arguments)
    assert generated.returncode == 0, generated.stderr
    assert "lignes écrites" in generated.stdout
    production = manage("parcours.settings", *arguments)
    assert production.returncode != 0
    assert "Unknown command: 'generate_data'" in production.stderr


def test_the_federation_size_is_two_hundred_centres_that_options_adjust(monkeypatch):
    from bench.generator.management.commands import generate_data

    calls = []
    monkeypatch.setattr(generate_data, "generate", lambda **kw: calls.append(kw) or {"t": 1})
    call_command("generate_data", "--size", "federation", "--years", "3", verbosity=0)
    assert calls[0] | {"stdout": None} == {
        "centres": 200,
        "people_per_centre": 500,
        "years": 3,
        "seed": 1,
        "end": None,
        "stdout": None,
        "append": False,
        "password": None,
    }


@pytest.mark.django_db
def test_the_command_refuses_bad_numbers_in_french():
    with pytest.raises(CommandError, match="entier positif"):
        call_command("generate_data", "--centres", "0")
    with pytest.raises(CommandError, match="Date invalide"):
        call_command("generate_data", "--end", "30/06/2026")


def test_every_attendance_is_an_enrolment_or_a_walk_in_within_the_pathway(generated):
    session_day = OuterRef("session__date")
    enrolled = Enrolment.objects.filter(
        person=OuterRef("person"),
        workshop=OuterRef("session__workshop"),
        starts_on__lte=session_day,
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=session_day))
    in_pathway = Pathway.objects.filter(
        person=OuterRef("person"), started_on__lte=session_day
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=session_day))
    marks = Attendance.objects.all()
    assert marks.filter(walk_in=True).exists()
    assert not marks.filter(walk_in=False).exclude(Exists(enrolled)).exists()
    assert not marks.exclude(Exists(in_pathway)).exists()
    # Only sessions that took place, never after the end of the history.
    assert not marks.exclude(session__status=SessionStatus.HELD).exists()
    assert not marks.filter(session__date__gt=END).exists()
    held = Session.objects.filter(status=SessionStatus.HELD)
    assert not held.exclude(Exists(Attendance.objects.filter(session=OuterRef("pk")))).exists()
    assert not held.filter(date__gt=END).exists()


def test_no_session_falls_on_a_public_holiday_a_closure_or_school_holidays(generated):
    centres = list(Centre.objects.all())
    assert any(c.department == "57" for c in centres)  # Moselle's holidays are exercised
    for centre in centres:
        subdiv = centre.department if centre.department in holidays.France.subdivisions else None
        public = holidays.France(subdiv=subdiv, years=range(2024, 2027))
        days = set(Session.objects.filter(centre=centre).values_list("date", flat=True))
        assert days and not days & set(public)
        if centre.department == "57":
            assert datetime.date(2025, 4, 18) not in days  # Good Friday, Moselle only
        for closure in ClosurePeriod.objects.filter(centre=centre):
            assert not Session.objects.filter(
                centre=centre, date__range=(closure.starts_on, closure.ends_on)
            ).exists()
    assert ClosurePeriod.objects.exists()
    stopping = Session.objects.filter(workshop__runs_in_school_holidays=False)
    for period in SchoolHoliday.objects.filter(zone="B"):
        assert not stopping.filter(date__range=(period.starts_on, period.ends_on)).exists()


# Pairs of paths that must reach the same centre (or the same row) for every row.
SAME_CENTRE = [
    (Person, "neighbourhood__centre", "centre"),
    (Person, "rsa_referent_partner__centre", "centre"),
    (Referral, "person__centre", "centre"),
    (Referral, "partner__centre", "centre"),
    (Referral, "contact__partner__centre", "centre"),
    (Pathway, "person__centre", "centre"),
    (Pathway, "programme__centre", "centre"),
    (Pathway, "referral__centre", "centre"),
    (Pathway, "referral__person", "person"),
    (Appointment, "person__centre", "centre"),
    (Appointment, "pathway__person", "person"),
    (Workshop, "programme__centre", "centre"),
    (Workshop, "place__centre", "centre"),
    (Workshop, "partner__centre", "centre"),
    (Session, "workshop__centre", "centre"),
    (Session, "slot__workshop", "workshop"),
    (Attendance, "person__centre", "session__centre"),
    (Enrolment, "person__centre", "workshop__centre"),
    (Goal, "rsa_contract__person", "pathway__person"),
    (Assessment, "grid__centre", "pathway__centre"),
    (Score, "criterion__grid", "assessment__grid"),
    (CaseReviewItem, "person__centre", "review__centre"),
    (CaseReview.participants.through, "partnercontact__partner__centre", "casereview__centre"),
    (ConsentRecord, "person__centre", "centre"),
    (ConsentRecord, "partner__centre", "centre"),
]


def test_every_link_stays_within_one_centre(generated):
    for model, one, other in SAME_CENTRE:
        linked = model._base_manager.filter(**{f"{one}__isnull": False})
        assert linked.exists(), (model, one)
        assert not linked.exclude(**{one: F(other)}).exists(), (model, one, other)
    # A person's neighbourhood is also the one their address gives.
    for person in Person.objects.select_related("centre")[:40]:
        assert Neighbourhood.for_address(person.centre, person.address) == person.neighbourhood


def test_the_team_who_records_and_refers_belongs_to_the_centre(generated):
    member = Membership.objects.filter(user=OuterRef("recorded_by"), centre=OuterRef("centre"))
    marks = Attendance.objects.annotate(centre=F("session__centre"))
    assert not marks.exclude(Exists(member)).exists()
    facilitators = Workshop.facilitators.through.objects.annotate(
        centre=F("workshop__centre")
    ).exclude(
        Exists(
            Membership.objects.filter(
                user=OuterRef("user"), centre=OuterRef("centre"), role=Role.FACILITATOR
            )
        )
    )
    assert not facilitators.exists()
    workers = Referral.objects.filter(referrer_user__isnull=False).exclude(
        Exists(
            Membership.objects.filter(
                user=OuterRef("referrer_user"),
                centre=OuterRef("centre"),
                role=Role.PARTNER_WORKER,
            )
        )
    )
    assert not workers.exists()


def test_pathways_and_referrals_tell_a_consistent_story(generated):
    pathways = Pathway.objects.all()
    assert pathways.filter(ended_on__isnull=True).exists()
    assert not pathways.filter(ended_on__lt=F("started_on")).exists()
    assert not pathways.filter(ended_on__gt=END).exists()
    assert PathwayExit.objects.count() == pathways.filter(ended_on__isnull=False).count()
    assert not Assessment.objects.filter(assessed_on__lt=F("pathway__started_on")).exists()
    assert not Enrolment.objects.filter(ends_on__lt=F("starts_on")).exists()
    for referral in Referral.objects.prefetch_related("events"):
        events = list(referral.events.all())
        assert events[-1].to_status == referral.status
        assert all(a.at <= b.at for a, b in zip(events, events[1:], strict=False))
    # Stored derived fields are what save() and the services would have set.
    people = list(Person.objects.all())
    assert all(p.search_key == name_key(p.last_name, p.first_name) for p in people)
    before = {p.pk: p.status for p in people}
    for person in people:
        person_status_refresh(person=person)
    assert dict(Person.objects.values_list("pk", "status")) == before
    assert len(set(before.values())) >= 3


def test_it_dates_and_explains_each_decision_as_the_move_that_made_it(generated):
    # As the services record it: the decision is the day and note of the move that left
    # the open states (`referral_close`, `relay_move`).
    still_open = {*OPEN_REFERRAL_STATUSES, *OPEN_RELAY_STATUSES}
    directions = set()
    for referral in Referral.objects.prefetch_related("events"):
        last = list(referral.events.all())[-1]
        if referral.status in still_open:
            assert (referral.decided_on, referral.decision_reason) == (None, "")
        else:
            directions.add(referral.direction)
            assert referral.decided_on == timezone.localdate(last.at), referral.pk
            assert referral.decision_reason == last.note, referral.pk
    assert directions == {Direction.IN, Direction.OUT}


@pytest.mark.django_db
def test_it_takes_each_persons_status_from_the_domain_rule(monkeypatch):
    facts = []
    monkeypatch.setattr(
        build,
        "person_status_derive",
        lambda **given: facts.append(given) or PersonStatus.EXITED,
    )
    generate(seed=7, **{**SMALL, "centres": 1})
    assert len(facts) == Person.objects.count()
    assert set(Person.objects.values_list("status", flat=True)) == {PersonStatus.EXITED}


@pytest.mark.django_db
def test_it_logs_only_the_referral_moves_the_state_machine_allows(monkeypatch):
    # Suppose admission after an intake were forbidden: the generator must refuse it too.
    transitions = {
        **Referral.TRANSITIONS,
        ReferralStatus.INTAKE_PLANNED: {ReferralStatus.NO_SHOW, ReferralStatus.NOT_ADMITTED},
    }
    monkeypatch.setattr(Referral, "TRANSITIONS", transitions)
    with pytest.raises(ValueError, match="forbids intake_planned → admitted"):
        generate(seed=7, **{**SMALL, "centres": 1})


# The statuses each record with a log starts in: its creation, not a move, writes no
# log row (see core.states).
CREATED_IN = {
    Session: {SessionStatus.PLANNED},
    Enrolment: {EnrolmentStatus.ACTIVE, EnrolmentStatus.WAITING},
    Appointment: {AppointmentStatus.PLANNED},
    Goal: {GoalStatus.IN_PROGRESS},
}


# A centre with more people than its workshops have places: a waiting list.
CROWDED = {**SMALL, "centres": 1, "people_per_centre": 100}


@pytest.fixture
def crowded(db):
    return generate(seed=7, **CROWDED)


def logged_moves(model):
    """{record id: [(from, to, at, by, reason), …] in order} of `model`'s log."""
    moves = defaultdict(list)
    record = model.transitions.field.name
    rows = build.LOGS[model].objects.order_by("at", "pk")
    for record_id, *move in rows.values_list(
        f"{record}_id", "from_status", "to_status", "at", "by", "reason"
    ):
        moves[record_id].append(tuple(move))
    return moves


def test_it_logs_each_status_through_the_moves_its_state_machine_allows(crowded):
    found = set()
    for model, created_in in CREATED_IN.items():
        moves = logged_moves(model)
        for record in model.objects.all():
            path = [(before, after) for before, after, *_rest in moves.pop(record.pk, [])]
            # From a starting status, one allowed move after the other, to its status.
            statuses = (
                [path[0][0], *(after for _before, after in path)] if path else [record.status]
            )
            assert statuses[0] in created_in, (model, record.pk)
            assert statuses[-1] == record.status, (model, record.pk)
            assert [before for before, _after in path] == statuses[:-1], (model, record.pk)
            for before, after in path:
                assert model(status=before).can_become(after), (model, before, after)
                found.add((model, before, after))
        assert not moves, f"{model.__name__}: log rows of no record"
    # Every kind of move the generator draws is there, the automatic promotions included.
    assert found >= {
        (Session, SessionStatus.PLANNED, SessionStatus.HELD),
        (Session, SessionStatus.PLANNED, SessionStatus.CANCELLED),
        (Enrolment, EnrolmentStatus.WAITING, EnrolmentStatus.ACTIVE),
        (Enrolment, EnrolmentStatus.WAITING, EnrolmentStatus.ENDED),
        (Enrolment, EnrolmentStatus.ACTIVE, EnrolmentStatus.ENDED),
        (Appointment, AppointmentStatus.PLANNED, AppointmentStatus.HELD),
        (Appointment, AppointmentStatus.PLANNED, AppointmentStatus.MISSED),
        (Goal, GoalStatus.IN_PROGRESS, GoalStatus.REACHED),
        (Goal, GoalStatus.IN_PROGRESS, GoalStatus.GIVEN_UP),
    }


def test_it_dates_and_explains_each_move_as_the_services_do(crowded):
    last_moment = datetime.datetime.combine(
        END, datetime.time.max, tzinfo=timezone.get_current_timezone()
    )
    facilitators = set(
        Membership.objects.filter(role=Role.FACILITATOR).values_list("user", flat=True)
    )
    sessions = Session.objects.in_bulk()
    for session_id, [(_before, after, at, by, reason)] in logged_moves(Session).items():
        session = sessions[session_id]
        if after == SessionStatus.HELD:
            # Recording the attendance holds the session, by whoever recorded it.
            assert (at, reason) == (session.attendance_recorded_at, "")
            assert by in facilitators
        else:
            assert reason == session.cancel_reason != ""
            assert timezone.localdate(at) == session.date
    enrolments = Enrolment.objects.in_bulk()
    for enrolment_id, moves in logged_moves(Enrolment).items():
        enrolment = enrolments[enrolment_id]
        for _before, after, at, _by, reason in moves:
            assert enrolment.created_at <= at <= last_moment
            if after == EnrolmentStatus.ACTIVE:
                assert reason == PROMOTION_REASON
                assert timezone.localdate(at) == enrolment.starts_on
            else:
                assert timezone.localdate(at) == enrolment.ends_on
    appointments = Appointment.objects.in_bulk()
    for appointment_id, [(_before, _after, at, by, _reason)] in logged_moves(Appointment).items():
        appointment = appointments[appointment_id]
        assert appointment.starts_at < at <= last_moment
        assert by == appointment.created_by_id
    goals = Goal.objects.select_related("pathway").in_bulk()
    for goal_id, [(_before, _after, at, _by, _reason)] in logged_moves(Goal).items():
        goal = goals[goal_id]
        assert goal.created_at < at <= last_moment
        assert timezone.localdate(at) <= (goal.pathway.ended_on or END)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "before", "after"),
    [
        (Session, SessionStatus.PLANNED, SessionStatus.CANCELLED),
        (Enrolment, EnrolmentStatus.WAITING, EnrolmentStatus.ACTIVE),
        (Appointment, AppointmentStatus.PLANNED, AppointmentStatus.MISSED),
        (Goal, GoalStatus.IN_PROGRESS, GoalStatus.REACHED),
    ],
)
def test_it_refuses_a_move_the_state_machine_forbids(monkeypatch, model, before, after):
    transitions = {**model.TRANSITIONS, before: model.TRANSITIONS[before] - {after}}
    monkeypatch.setattr(model, "TRANSITIONS", transitions)
    with pytest.raises(
        ValueError, match=f"{model.__name__} state machine forbids {before} → {after}"
    ):
        generate(seed=7, **CROWDED)


@pytest.mark.django_db
def test_it_generates_every_part_of_a_persons_file_or_says_why_not():
    parts = {part.model for part in file.parts()}
    loaded = {table.model for table in build.Tables().all}
    left_out = set(build.NOT_GENERATED)
    assert not left_out & loaded
    # A new part is generated, or listed with the reason why not; no stale entry.
    assert parts - loaded == left_out
    assert all(build.NOT_GENERATED.values())


def planner_row_count(table):
    """How many rows the planner's statistics give `table`; None without statistics."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
            count = cursor.fetchone()[0]
            return int(count) if count >= 0 else None
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return None
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        row = cursor.fetchone()
        return int(row[0].split()[0]) if row else None


@pytest.mark.django_db
def test_it_leaves_the_planner_statistics_of_what_it_loaded():
    # Without them, the planner takes the tables for empty: slow plans on the large size.
    generate(seed=1, **{**SMALL, "centres": 1})
    for table in build.Tables().all:
        rows = table.model._base_manager.count()
        assert planner_row_count(table.model._meta.db_table) == rows, table.model


def test_the_report_and_the_main_pages_render(generated, client):
    centre = Centre.objects.order_by("pk").first()
    programme = centre.programmes.get()
    report = compute(centre=centre, programme=programme, start=datetime.date(2025, 1, 1), end=END)
    assert report.sections
    coordinator = Membership.objects.get(centre=centre, role=Role.COORDINATOR).user
    verified_login(client, coordinator)
    person = Person.objects.filter(centre=centre, pathways__isnull=False).first()
    pathway = person.pathways.first()
    session = Session.objects.filter(centre=centre, status=SessionStatus.HELD).last()
    workshop = session.workshop
    urls = [
        reverse("dashboard:home"),
        reverse("people:list"),
        reverse("people:detail", args=[person.pk]),
        reverse("people:referrals"),
        reverse("pathways:pathway", args=[pathway.pk]),
        reverse("pathways:relays"),
        reverse("pathways:case_reviews"),
        reverse("workshops:list"),
        reverse("workshops:detail", args=[workshop.pk]),
        reverse("workshops:sessions"),
        reverse("workshops:session", args=[session.pk]),
        reverse("reports:report", args=[programme.pk]) + "?du=2025-01-01&au=2026-06-30",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
