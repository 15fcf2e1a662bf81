"""Generate fictional centres with years of history, at volume, for benchmarks.

`generate()` builds each centre like the demo centre (its programme, places, team,
partners, neighbourhoods, workshops and timetable), then its people, referred over the
years, with their pathways, appointments, goals, assessments, relays and exits, then the
sessions of the timetable (public holidays, school holidays and closures skipped by the
workshops app's own calendar), enrolments within each workshop's capacity (waiting list
included) and attendance. Everything is drawn from `random.Random`, seeded per centre:
the same arguments give the same rows, the same ids included on the same database state.

Rows are written in bulk (see `writer`), never through `save()`, so the derived fields
`save()` and the services keep are computed here, by the domain's own rules where the
services have one: the person's `status` (`people.services.person_status_derive`); the
log rows of every status that follows rules (`LOGS`: referrals, sessions, enrolments,
appointments, goals), each move checked by the record's state machine (`can_become`);
the referral's decision once it leaves the open states; also the person's
`search_key`, `ended_on` with the exit. Each centre is written before the next is
drawn, so memory stays that of one centre. The run ends with `ANALYZE`: the planner
needs statistics of tables that were empty a moment ago.
"""

import bisect
import datetime
import heapq
import random
import time
import zoneinfo
from collections import deque
from dataclasses import dataclass, field

from auditlog.context import disable_auditlog
from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from parcours.accounts.models import User
from parcours.centres import demo as centres_demo
from parcours.centres.enums import Role, SchoolZone
from parcours.centres.models import Centre, Membership, Place, Programme
from parcours.consent.enums import Purpose
from parcours.consent.models import ConsentOverride, ConsentRecord, NoticeGiven
from parcours.core.search import name_key
from parcours.partners import demo as partners_demo
from parcours.partners.enums import PartnerKind
from parcours.partners.models import Partner, PartnerContact
from parcours.pathways import assessment_demo
from parcours.pathways import demo as pathways_demo
from parcours.pathways.assessments import DEFAULT_CRITERIA, LEVELS
from parcours.pathways.enums import (
    AppointmentKind,
    AppointmentStatus,
    AssessmentBy,
    Axis,
    GoalStatus,
)
from parcours.pathways.models import (
    Appointment,
    AppointmentTransition,
    Assessment,
    AssessmentGrid,
    CaseReview,
    CaseReviewItem,
    Criterion,
    ExitOutcome,
    Goal,
    GoalTransition,
    Pathway,
    PathwayExit,
    Score,
)
from parcours.people import demo as people_demo
from parcours.people.enums import (
    OPEN_REFERRAL_STATUSES,
    OPEN_RELAY_STATUSES,
    Benefit,
    Difficulty,
    Direction,
    EducationLevel,
    FrenchLevel,
    Household,
    ReferralStatus,
    RsaOrientation,
    Sex,
)
from parcours.people.models import (
    ConfidentialNote,
    Neighbourhood,
    Person,
    Referral,
    ReferralEvent,
    RsaContract,
)
from parcours.people.services import person_status_derive
from parcours.privacy.models import ErasureRequest, LegalHold
from parcours.workshops import demo as workshops_demo
from parcours.workshops.calendar import CentreCalendar
from parcours.workshops.enums import (
    EnrolmentStatus,
    Presence,
    SessionStatus,
    Weekday,
    WorkshopKind,
)
from parcours.workshops.models import (
    Attendance,
    ClosurePeriod,
    Enrolment,
    EnrolmentTransition,
    Session,
    SessionTransition,
    TimetableSlot,
    VigilanceFollowUp,
    Workshop,
)
from parcours.workshops.services import PROMOTION_REASON

from . import names
from .writer import Table, analyse, bulk_load, reset_sequences

# Generated centres are recognised by their short identifier.
SLUG_PREFIX = "gen-"
FEDERATION_DIRECTOR = "direction@federation.example"

SIZES = {
    "small": {"centres": 1, "people_per_centre": 100, "years": 2},
    "federation": {"centres": 200, "people_per_centre": 500, "years": 5},
}

ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)
DAY = datetime.timedelta(days=1)
# People referred before the first session: the programme was running already when the
# history starts, so its first sessions have their groups.
LEAD_IN_DAYS = 240
# A pathway lasts six months to two years and more; a person follows one to three workshops.
PATHWAY_DAYS = (180, 800)
AVERAGE_PATHWAY_YEARS = sum(PATHWAY_DAYS) / 2 / 365
WORKSHOPS_PER_PERSON = [1, 2, 2, 3, 3]
AVERAGE_WORKSHOPS = sum(WORKSHOPS_PER_PERSON) / len(WORKSHOPS_PER_PERSON)
# Language courses meet twice a week in most centres: their second weekly slot.
SECOND_SLOTS = {
    "Atelier français, remobilisation des savoirs de base": (
        Weekday.THURSDAY,
        datetime.time(14),
        datetime.time(17),
    ),
    "Français Langue Étrangère": (Weekday.WEDNESDAY, datetime.time(9), datetime.time(11)),
}
# Sessions are planned that far past the end of the history, as a centre plans ahead.
PLANNED_AHEAD_DAYS = 28


class GeneratorError(Exception):
    """A request the generator refuses; the message is for the operator, in French."""


def _v(choice):
    # Enum members are str/int subclasses, but a database driver may adapt an Enum by
    # its name: rows carry the plain value.
    return choice.value


PRESENT, ABSENT, EXCUSED = _v(Presence.PRESENT), _v(Presence.ABSENT), _v(Presence.EXCUSED)
HELD, PLANNED, CANCELLED = (
    _v(SessionStatus.HELD),
    _v(SessionStatus.PLANNED),
    _v(SessionStatus.CANCELLED),
)
APPOINTMENT_PLANNED = _v(AppointmentStatus.PLANNED)
GOAL_IN_PROGRESS = _v(GoalStatus.IN_PROGRESS)
WAITING, ENROLLED, ENDED = (
    _v(EnrolmentStatus.WAITING),
    _v(EnrolmentStatus.ACTIVE),
    _v(EnrolmentStatus.ENDED),
)

# Exit outcomes by label of the default list, with how often each ends a pathway.
EXIT_WEIGHTS = {
    "Emploi : CDI": 3,
    "Emploi : CDD de 6 mois ou plus": 5,
    "Emploi : CDD de moins de 6 mois": 5,
    "Emploi : intérim": 4,
    "Emploi : contrat aidé": 4,
    "Emploi : structure d'insertion par l'activité économique": 8,
    "Entrée en formation": 12,
    "Orientée vers une structure plus adaptée": 10,
    "Déménagement": 8,
    "Raisons de santé": 8,
    "A cessé de venir": 20,
    "Autre": 6,
}
STOPPED_COMING = "A cessé de venir"

# Who refers people, by kind of partner, and how often (sector social workers first).
REFERRER_WEIGHTS = {
    PartnerKind.MEDICO_SOCIAL: 40,
    PartnerKind.UDAF: 15,
    PartnerKind.CCAS: 12,
    PartnerKind.CMP: 6,
    PartnerKind.ASSOCIATION: 8,
    PartnerKind.EMPLOYMENT: 7,
}
RELAY_KINDS = [
    PartnerKind.CMP,
    PartnerKind.CSAPA,
    PartnerKind.EMPLOYMENT,
    PartnerKind.CIDFF,
    PartnerKind.HOUSING,
    PartnerKind.CHARITY,
    PartnerKind.INTERMEDIARY_ASSOCIATION,
    PartnerKind.INSERTION_COMPANY,
]
BENEFITS = [Benefit.RSA] * 13 + [
    Benefit.AAH,
    Benefit.AAH,
    Benefit.ASS,
    Benefit.ARE,
    Benefit.END_OF_RIGHTS,
    Benefit.SALARY,
    Benefit.NONE,
]
EDUCATION_WEIGHTS = {
    EducationLevel.NONE: 45,
    EducationLevel.CAP_BEP: 30,
    EducationLevel.BAC: 15,
    EducationLevel.BAC_2: 6,
    EducationLevel.HIGHER: 4,
}


def _at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ZONE)


def _phone(number):
    # The range 03 53 01 xx xx is kept for fiction (ARCEP).
    return f"+3335301{number % 10000:04d}"


def _email_part(text):
    return slugify(text).replace("-", "")


def _log_fields(record):
    """The columns of a state machine's log (`core.states.StatusChange`), `record`
    being the name of its foreign key to the record that changed."""
    return [record, "from_status", "to_status", "at", "by", "reason"]


# Each record with a status that follows rules, and the table of its log: the
# generator writes the rows its services would have written (see `CentreBuilder._moves`).
LOGS = {
    Referral: ReferralEvent,
    Session: SessionTransition,
    Enrolment: EnrolmentTransition,
    Appointment: AppointmentTransition,
    Goal: GoalTransition,
}

# The parts of a person's file (`people.file.parts()`) that the generator leaves empty,
# and why. Every other part is a table of `Tables` (tests/generator checks it): a new
# part is generated, or left out here on purpose.
NOT_GENERATED = {
    NoticeGiven: (
        "a copy of the centre's notice text as given (consent.notice): the file page lists it "
        "in one line and one query, so it would add text to the database, not work to a page"
    ),
    ConsentOverride: "an exception (a legal obligation, a danger): too rare to weigh on a measure",
    VigilanceFollowUp: (
        "noted from the day's list of people to watch, which the generator does not replay: "
        "without any, the coordinator's home lists everyone absent, its slowest case"
    ),
    LegalHold: "rare, and read only by the privacy app (erasure, retention): not measured",
    ErasureRequest: "rare, and read only by the privacy app (erasure, retention): not measured",
}


class Tables:
    """One writer per table, flushed together, parents before children."""

    def __init__(self):
        through_facilitators = Workshop.facilitators.through
        through_participants = CaseReview.participants.through
        spec = [
            (
                User,
                [
                    "email",
                    "password",
                    "first_name",
                    "last_name",
                    "is_staff",
                    "is_superuser",
                    "date_joined",
                ],
            ),
            (
                Centre,
                ["name", "slug", "address", "postcode", "city", "department", "school_zone"]
                + ["privacy_contact", "created_at"],
            ),
            (Programme, ["centre", "name", "slug", "description", "started_on"]),
            (Place, ["centre", "name", "address", "postcode", "city"]),
            (Membership, ["user", "centre", "role", "created_at"]),
            (Neighbourhood, ["centre", "name", "is_qpv", "streets"]),
            (
                Partner,
                ["centre", "name", "kind", "city", "postcode", "notes", "search_key"]
                + [f"theme_{theme}" for theme in THEMES],
            ),
            (
                PartnerContact,
                ["partner", "first_name", "last_name", "job_title", "phone", "email"],
            ),
            (AssessmentGrid, ["centre", "version", "is_current", "created_at"]),
            (
                Criterion,
                ["grid", "group", "label", "level_1", "level_2", "level_3", "level_4", "order"],
            ),
            (ClosurePeriod, ["centre", "starts_on", "ends_on", "reason"]),
            (
                Workshop,
                ["centre", "programme", "name", "kind", "description", "place", "partner"]
                + ["capacity", "runs_in_school_holidays", "yearly_target"],
            ),
            (through_facilitators, ["workshop", "user"]),
            (TimetableSlot, ["workshop", "weekday", "starts_at", "ends_at"]),
            (Person, PERSON_FIELDS),
            (ConfidentialNote, ["person", "health", "updated_at"]),
            (RsaContract, ["person", "starts_on", "ends_on", "goals"]),
            (
                ConsentRecord,
                ["centre", "person", "purpose", "partner", "on", "scope", "by", "created_at"],
            ),
            (
                Referral,
                ["centre", "person", "direction", "partner", "contact", "referrer_user"]
                + ["received_on", "reason", "expectations", "status", "intake_on"]
                + ["decided_on", "decision_reason", "shared_information", "follow_up_on"]
                + ["created_at"],
            ),
            (ReferralEvent, ["referral", "from_status", "to_status", "at", "by", "note"]),
            (
                Pathway,
                ["centre", "person", "programme", "referral", "started_on", "ended_on"],
            ),
            (PathwayExit, ["pathway", "outcome", "recorded_by"]),
            (
                Goal,
                ["pathway", "axis", "wording", "due_on", "status", "rsa_contract", "created_at"],
            ),
            (GoalTransition, _log_fields("goal")),
            (Assessment, ["pathway", "grid", "assessed_on", "by", "recorded_by"]),
            (Score, ["assessment", "criterion", "value"]),
            (
                Appointment,
                ["centre", "person", "pathway", "starts_at", "duration", "kind", "status"]
                + ["note", "created_by"],
            ),
            (AppointmentTransition, _log_fields("appointment")),
            (CaseReview, ["centre", "held_on"]),
            (through_participants, ["casereview", "partnercontact"]),
            (CaseReviewItem, ["review", "person", "decision"]),
            (Enrolment, ["workshop", "person", "status", "starts_on", "ends_on", "created_at"]),
            (EnrolmentTransition, _log_fields("enrolment")),
            (
                Session,
                ["centre", "workshop", "date", "starts_at", "ends_at", "status"]
                + ["cancel_reason", "slot", "planned_date", "attendance_recorded_at"],
            ),
            (SessionTransition, _log_fields("session")),
            (
                Attendance,
                ["session", "person", "presence", "walk_in", "recorded_by", "recorded_at"],
            ),
        ]
        # Attendance rows share their session's time stamp: converted once per session.
        prepared = {Attendance: ("recorded_at",)}
        self.all = [
            Table(model, fields, on_full=self.flush, prepared=prepared.get(model, ()))
            for model, fields in spec
        ]
        self.by_model = {table.model: table for table in self.all}

    def __getitem__(self, model):
        return self.by_model[model]

    def flush(self):
        for table in self.all:
            table.flush()

    def counts(self):
        return {table.model._meta.db_table: table.written for table in self.all}


THEMES = [
    "health",
    "employment",
    "housing",
    "daily_life",
    "youth",
    "parenting",
    "justice",
    "addictions",
]
DIFFICULTIES = [_v(d) for d in Difficulty]
PERSON_FIELDS = [
    "centre",
    "last_name",
    "first_name",
    "birth_date",
    "sex",
    "phone",
    "address",
    "postcode",
    "city",
    "neighbourhood",
    "household",
    "children_count",
    "children_ages",
    "benefit",
    "rsa_orientation",
    "rights_end_on",
    *(f"difficulty_{d}" for d in DIFFICULTIES),
    "french_level",
    "education_level",
    "disability_recognised",
    "rsa_referent_name",
    "rsa_referent_partner",
    "status",
    "search_key",
    "created_at",
    "updated_at",
]


@dataclass
class Shared:
    """What every centre of a run uses: the dates, the account password, the defaults."""

    start: datetime.date
    end: datetime.date
    password: str
    outcomes: dict  # label -> ExitOutcome id
    director_id: int | None
    confidential: bool
    # Moves (model, from, to) already asked of a state machine in this run, and its
    # answer: a model instance per kind of move, not per row (seconds at federation size).
    moves: dict = field(default_factory=dict)


@dataclass
class Member:
    id: int
    role: str


@dataclass(eq=False)
class PathwayPlan:
    id: int
    person_id: int
    started_on: datetime.date
    ended_on: datetime.date | None
    stopped_coming: bool
    reliability: float


def _validate(centres, people_per_centre, years):
    for value, label in (
        (centres, "nombre de centres"),
        (people_per_centre, "nombre de personnes par centre"),
        (years, "nombre d'années"),
    ):
        if not isinstance(value, int) or value < 1:
            raise GeneratorError(f"Le {label} doit être un entier positif (reçu : {value}).")
    if years > 20:
        raise GeneratorError("Au plus 20 ans d'historique.")
    if people_per_centre > 100_000:
        raise GeneratorError("Au plus 100 000 personnes par centre.")


def generate(
    *,
    centres,
    people_per_centre,
    years,
    seed,
    end=None,
    stdout=None,
    append=False,
    password=None,
):
    """Generate `centres` fictional centres of `people_per_centre` people each, with
    `years` of history ending on `end` (today by default); return the number of rows
    written per table. All or nothing: one transaction, then `ANALYZE`.

    Refuses a database that already holds generated centres, unless `append`. Staff
    accounts get `password` (the same for all, hashed once), or none that works.
    """
    _validate(centres, people_per_centre, years)
    end = end or timezone.localdate()
    start = end - datetime.timedelta(days=365 * years + years // 4)
    started = time.monotonic()
    with transaction.atomic(), disable_auditlog():
        generated = Centre.objects.filter(slug__startswith=SLUG_PREFIX)
        if generated.exists() and not append:
            raise GeneratorError(
                f"La base contient déjà {generated.count()} centre(s) généré(s) "
                f"(identifiants « {SLUG_PREFIX}… ») : relancez avec --append pour en "
                "ajouter, ou partez d'une base vide."
            )
        first = generated.count() + 1
        tables = Tables()
        shared = Shared(
            start=start,
            end=end,
            password=_password_hash(password, seed),
            outcomes=dict(
                ExitOutcome.objects.filter(centre=None, label__in=EXIT_WEIGHTS).values_list(
                    "label", "id"
                )
            ),
            director_id=None,
            confidential=bool(settings.CONFIDENTIAL_KEYS),
        )
        if len(shared.outcomes) != len(EXIT_WEIGHTS):
            raise GeneratorError(
                "Des issues de parcours de la liste commune manquent (migration "
                "pathways 0002) : le générateur les utilise pour clore les parcours."
            )
        shared.director_id = _federation_director(tables, shared)
        with bulk_load([table.model for table in tables.all]):
            for number in range(first, first + centres):
                rng = random.Random(f"parcours-{seed}-{number}")  # noqa: S311  (fiction)
                CentreBuilder(tables, shared, number, people_per_centre, rng).build()
                tables.flush()
                if stdout is not None:
                    written = tables[Attendance].written
                    stdout.write(
                        f"Centre {number - first + 1}/{centres} : {written} présences "
                        f"({time.monotonic() - started:.0f} s)\n"
                    )
            if stdout is not None:
                stdout.write("Index et vérification des clés étrangères…\n")
        reset_sequences([table.model for table in tables.all])
    if stdout is not None:
        stdout.write("Statistiques pour le planificateur (ANALYZE)…\n")
    analyse([table.model for table in tables.all])
    return tables.counts()


def _password_hash(password, seed):
    if not password:
        # Unusable (Django's "!" prefix) and the same on every run.
        return f"{UNUSABLE_PASSWORD_PREFIX}generated"
    rng = random.Random(f"parcours-password-{seed}")  # noqa: S311  (salt of fictional accounts)
    salt = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=22))
    return make_password(password, salt=salt)


def _federation_director(tables, shared):
    """One account directs every generated centre (the federation dashboard's user)."""
    existing = User.objects.filter(email=FEDERATION_DIRECTOR).values_list("id", flat=True)
    if existing:
        return existing[0]
    return tables[User].add(
        FEDERATION_DIRECTOR,
        shared.password,
        "Hélène",
        "Fédération",
        False,
        False,
        _at(shared.start, 9),
    )


class CentreBuilder:
    def __init__(self, tables, shared, number, people, rng):
        self.t = tables
        self.s = shared
        self.number = number
        self.people_count = people
        self.rng = rng
        self.start = shared.start
        self.end = shared.end
        self.horizon = shared.end + datetime.timedelta(days=PLANNED_AHEAD_DAYS)
        self.first_day = shared.start - datetime.timedelta(days=LEAD_IN_DAYS)

    # The centre, its team and its network

    def build(self):
        self._centre()
        self._team()
        self._neighbourhoods()
        self._partners()
        self._grid()
        self._closures()
        self._workshops()
        # The calendar reads the closures back: write what precedes first.
        self.t.flush()
        self.calendar = CentreCalendar.for_centre(
            Centre(pk=self.centre_id, department=self.department, school_zone=SchoolZone.B),
            self.first_day,
            self.horizon,
        )
        self.pathways = []
        self.requests = {workshop: [] for workshop in self.workshops}
        for index in range(self.people_count):
            self._person(index)
        self._case_reviews()
        self._sessions_and_attendance()

    def _centre(self):
        rng = self.rng
        weighted = [town for town in names.TOWNS for _ in range(self._town_weight(town))]
        self.town, self.postcode, self.department = rng.choice(weighted)
        base = rng.choice(names.CENTRE_NAMES)
        self.slug = f"{SLUG_PREFIX}{self.number:03d}-{slugify(base)}"
        self.domain = f"{SLUG_PREFIX}{self.number:03d}.example"
        self.streets = [
            f"{kind} {name}"
            for kind, name in zip(
                rng.choices(names.STREET_KINDS, k=len(names.STREET_NAMES)),
                rng.sample(names.STREET_NAMES, len(names.STREET_NAMES)),
                strict=True,
            )
        ]
        self.centre_id = self.t[Centre].add(
            f"Centre social « {base} » ({self.town})",
            self.slug,
            f"{rng.randint(1, 60)} {self.streets[0]}",
            self.postcode,
            self.town,
            self.department,
            _v(SchoolZone.B),
            (
                "Délégué à la protection des données de la fédération, "
                f"dpo@{self.domain}, 03 53 01 00 00."
            ),
            _at(self.first_day, 9),
        )
        programme = centres_demo.PROGRAMME
        self.programme_id = self.t[Programme].add(
            self.centre_id,
            programme["name"],
            programme["slug"],
            programme["description"],
            datetime.date(rng.randint(1990, 2015), 1, 1),
        )
        self.places = {}
        for index, (name, _address) in enumerate(centres_demo.PLACES):
            self.places[name] = self.t[Place].add(
                self.centre_id,
                name,
                f"{rng.randint(1, 80)} {self.streets[index]}",
                self.postcode,
                self.town,
            )

    @staticmethod
    def _town_weight(town):
        return names.MOSELLE_WEIGHT if town[2] == "57" else 1

    def _team(self):
        rng = self.rng
        team = [
            ("coordination", Role.COORDINATOR),
            ("animation", Role.FACILITATOR),
            ("animation2", Role.FACILITATOR),
            ("partenaire", Role.PARTNER_WORKER),
            ("direction", Role.DIRECTOR),
            ("admin", Role.ADMIN),
        ]
        self.members = []
        for local, role in team:
            female = rng.random() < 0.6
            user_id = self.t[User].add(
                f"{local}@{self.domain}",
                self.s.password,
                rng.choice(names.FEMALE_NAMES if female else names.MALE_NAMES),
                rng.choice(names.LAST_NAMES),
                False,
                False,
                _at(self.first_day, 9),
            )
            self.t[Membership].add(user_id, self.centre_id, _v(role), _at(self.first_day, 9))
            self.members.append(Member(user_id, role))
        self.t[Membership].add(
            self.s.director_id, self.centre_id, _v(Role.DIRECTOR), _at(self.first_day, 9)
        )
        self.coordinator = self._member(Role.COORDINATOR)
        self.partner_worker = self._member(Role.PARTNER_WORKER)
        self.facilitators = [m.id for m in self.members if m.role == Role.FACILITATOR]

    def _member(self, role):
        return next(m.id for m in self.members if m.role == role)

    def _neighbourhoods(self):
        rng = self.rng
        chosen = rng.sample(names.NEIGHBOURHOODS, len(names.NEIGHBOURHOOD_WEIGHTS))
        second_qpv = rng.random() < 0.5
        streets = iter(self.streets)
        self.neighbourhoods = []
        for index, name in enumerate(chosen):
            own = [next(streets) for _ in range(rng.randint(2, 4))]
            is_qpv = index == 0 or (index == 1 and second_qpv)
            row_id = self.t[Neighbourhood].add(self.centre_id, name, is_qpv, "\n".join(own))
            self.neighbourhoods.append((row_id, own))

    def _partners(self):
        rng = self.rng
        self.partners = []  # (id, kind, [contact ids])
        for name, kind, themes, fields in partners_demo.PARTNERS:
            local = name.replace("Thionville", self.town).replace("thionvillois", "local")
            city = fields.get("city", self.town)
            partner_id = self.t[Partner].add(
                self.centre_id,
                local,
                _v(kind),
                self.town if city in ("Thionville", "Florange") else city,
                self.postcode if city == "Thionville" else fields.get("postcode", ""),
                fields.get("notes", ""),
                name_key(local),
                *(theme in {_v(t) for t in themes} for theme in THEMES),
            )
            contacts = []
            referrer = kind in REFERRER_WEIGHTS or kind in RELAY_KINDS
            for _ in range(rng.randint(1, 3) if referrer else rng.randint(0, 1)):
                first, last = rng.choice(names.FEMALE_NAMES), rng.choice(names.LAST_NAMES)
                contacts.append(
                    self.t[PartnerContact].add(
                        partner_id,
                        first,
                        last,
                        rng.choice(names.JOB_TITLES),
                        _phone(rng.randint(1000, 9999)),
                        f"{_email_part(first)[:1]}.{_email_part(last)}@example.org",
                    )
                )
            self.partners.append((partner_id, kind, contacts))
            if "AFAD" in name:
                self.afad = partner_id  # runs the cooking workshop in its kitchen
        self.referrers = [p for p in self.partners if p[1] in REFERRER_WEIGHTS]
        self.referrer_weights = [REFERRER_WEIGHTS[p[1]] for p in self.referrers]
        self.relay_partners = [p for p in self.partners if p[1] in RELAY_KINDS]
        self.rsa_partners = [
            p for p in self.partners if p[1] in (PartnerKind.UDAF, PartnerKind.MEDICO_SOCIAL)
        ]
        self.all_contacts = [c for p in self.partners for c in p[2]]

    def _grid(self):
        self.grid_id = self.t[AssessmentGrid].add(self.centre_id, 1, True, _at(self.first_day, 9))
        self.criteria = []
        for order, (group, label, levels) in enumerate(DEFAULT_CRITERIA, start=1):
            self.criteria.append(self.t[Criterion].add(self.grid_id, group, label, *levels, order))

    def _closures(self):
        """Summer weeks and the days between Christmas and New Year, every year, and a
        team training day."""
        rng = self.rng
        for year in range(self.first_day.year, self.horizon.year + 1):
            august = datetime.date(year, 8, 1)
            summer = august + datetime.timedelta(days=(7 - august.weekday()) % 7)
            closures = [
                (summer, summer + datetime.timedelta(days=rng.choice([13, 20])), "Congés d'été"),
                (datetime.date(year, 12, 24), datetime.date(year, 12, 31), "Fin d'année"),
            ]
            training = datetime.date(year, rng.choice([3, 6, 10]), rng.randint(1, 28))
            if training.weekday() < 5:
                closures.append((training, training, "Journée de formation de l'équipe"))
            for starts_on, ends_on, reason in closures:
                if ends_on >= self.first_day and starts_on <= self.horizon:
                    self.t[ClosurePeriod].add(self.centre_id, starts_on, ends_on, reason)

    def _workshops(self):
        """The demo's timetable; a centre with many people opens second groups of the
        weekly workshops, on other days."""
        rng = self.rng
        weekly_capacity = sum(row[5] or 0 for row in workshops_demo.WEEKLY)
        admitted_per_year = 0.8 * self.people_count / ((self.end - self.first_day).days / 365)
        demand = admitted_per_year * AVERAGE_PATHWAY_YEARS * AVERAGE_WORKSHOPS
        groups = max(1, min(6, round(demand / weekly_capacity)))
        self.workshops = []  # WorkshopPlan
        for group in range(1, groups + 1):
            for name, place, weekday, starts, ends, capacity, holidays in workshops_demo.WEEKLY:
                kind = workshops_demo.KINDS.get(name, WorkshopKind.WEEKLY)
                if group > 1 and kind == WorkshopKind.DROP_IN:
                    continue  # one job desk is open to all
                label = name if group == 1 else f"{name} — groupe {group}"
                day = (weekday + 2 * (group - 1)) % 5
                plan = WorkshopPlan(
                    id=self.t[Workshop].add(
                        self.centre_id,
                        self.programme_id,
                        label,
                        _v(kind),
                        workshops_demo.DESCRIPTIONS.get(name, ""),
                        self.places[place],
                        self.afad if name == "Cuisine" else None,
                        capacity,
                        holidays,
                        None,
                    ),
                    kind=kind,
                    capacity=capacity,
                    holidays=holidays,
                    facilitator=self.facilitators[len(self.workshops) % len(self.facilitators)],
                )
                slots = [(day, starts, ends)]
                if name in SECOND_SLOTS:
                    weekday2, starts2, ends2 = SECOND_SLOTS[name]
                    slots.append(((weekday2 + 2 * (group - 1)) % 5, starts2, ends2))
                for slot_day, slot_starts, slot_ends in slots:
                    slot_id = self.t[TimetableSlot].add(plan.id, slot_day, slot_starts, slot_ends)
                    plan.slots.append((slot_id, slot_day, slot_starts, slot_ends))
                self.workshops.append(plan)
        for name, kind, target in workshops_demo.YEARLY:
            series = kind == WorkshopKind.SERIES
            place = workshops_demo.POLYVALENTE if series else workshops_demo.GUISE
            capacity = 12 if series else 25
            plan = WorkshopPlan(
                id=self.t[Workshop].add(
                    self.centre_id,
                    self.programme_id,
                    name,
                    _v(kind),
                    "",
                    self.places[place],
                    None,
                    capacity,
                    not series,  # outings take families out in the holidays too
                    target,
                ),
                kind=kind,
                capacity=capacity,
                holidays=not series,
                facilitator=rng.choice(self.facilitators),
                target=target,
            )
            self.workshops.append(plan)
        for plan in self.workshops:
            self.t[Workshop.facilitators.through].add(plan.id, plan.facilitator)
        self.weekly = [w for w in self.workshops if w.slots and w.kind != WorkshopKind.DROP_IN]
        self.drop_in = [w for w in self.workshops if w.kind == WorkshopKind.DROP_IN]
        self.yearly = [w for w in self.workshops if w.target]

    # People and their pathways

    def _open_day(self, day):
        """The first weekday from `day` on when the centre is open."""
        while day.weekday() >= 5 or self.calendar.why_closed(day, runs_in_school_holidays=True):
            day += DAY
        return day

    def _person(self, index):
        rng = self.rng
        female = rng.random() < 0.7
        sex = Sex.FEMALE if female else Sex.MALE
        first = rng.choice(names.FEMALE_NAMES if female else names.MALE_NAMES)
        last = rng.choice(names.LAST_NAMES)
        received_on = self.first_day + datetime.timedelta(
            days=rng.randint(0, (self.end - self.first_day).days - 2)
        )
        birth = datetime.date(
            received_on.year - rng.randint(19, 62), rng.randint(1, 12), rng.randint(1, 28)
        )
        hood_id, hood_streets = rng.choices(self.neighbourhoods, names.NEIGHBOURHOOD_WEIGHTS)[0]
        if female and rng.random() < 0.5:
            household = Household.SINGLE_PARENT
        else:
            household = rng.choice(
                [Household.ALONE, Household.ALONE, Household.COUPLE, Household.HOSTED]
            )
        with_children = household in (Household.SINGLE_PARENT, Household.COUPLE)
        children = rng.randint(1, 4) if with_children else 0
        benefit = rng.choice(BENEFITS)
        difficulties = set(rng.sample(DIFFICULTIES, rng.randint(1, 4)))
        language = _v(Difficulty.LANGUAGE) in difficulties
        french = rng.choice(list(FrenchLevel)) if language else FrenchLevel.FLUENT
        rsa = benefit == Benefit.RSA
        sharing = rng.random() < 0.7
        referent = rng.choice(self.rsa_partners) if rsa and rng.random() < 0.8 else None
        referrer = (
            rng.choices(self.referrers, self.referrer_weights)[0] if rng.random() < 0.92 else None
        )
        person = _PersonDraft(received_on=received_on)
        flow = self._referral_flow(rng, received_on)
        status = person_status_derive(
            has_open_pathway=flow.admitted and flow.ended_on is None,
            has_waiting_referral=flow.status in OPEN_REFERRAL_STATUSES,
            has_pathway=flow.admitted,
        )
        last_moment = flow.last_moment or _at(received_on, 10)
        person.id = self.t[Person].add(
            self.centre_id,
            last,
            first,
            birth,
            _v(sex),
            _phone(self.number * 1000 + index),
            f"{rng.randint(1, 80)} {rng.choice(hood_streets)}",
            self.postcode,
            self.town,
            hood_id,
            _v(household),
            children,
            ", ".join(str(rng.randint(1, 17)) for _ in range(children)),
            _v(benefit),
            _v(RsaOrientation.SOCIAL) if rsa else "",
            received_on + datetime.timedelta(days=rng.randint(30, 300))
            if benefit == Benefit.END_OF_RIGHTS
            else None,
            *(d in difficulties for d in DIFFICULTIES),
            _v(french),
            _v(rng.choices(list(EDUCATION_WEIGHTS), list(EDUCATION_WEIGHTS.values()))[0]),
            rng.random() < 0.08,
            f"{rng.choice(names.FEMALE_NAMES)} {rng.choice(names.LAST_NAMES)}" if referent else "",
            referent[0] if referent else None,
            _v(status),
            name_key(last, first),
            _at(received_on, 10),
            last_moment,
        )
        noted = self.s.confidential and rng.random() < 0.2
        self._consents(person, received_on, referrer[0] if referrer else None, sharing, rsa, noted)
        if noted:
            self.t[ConfidentialNote].add(
                person.id, rng.choice(people_demo.HEALTH_NOTES), _at(received_on, 11)
            )
        contract_id = None
        if rsa and rng.random() < 0.5:
            contract_id = self.t[RsaContract].add(
                person.id,
                received_on,
                received_on + datetime.timedelta(days=365),
                names.CONTRACT_GOALS,
            )
        referral_id = self._referral(rng, person, flow, referrer, sharing)
        if flow.admitted:
            self._pathway(rng, person, flow, referral_id, contract_id, sharing)
        elif flow.intake_on is not None and flow.intake_on <= self.end:
            # Received, then admitted or not: the intake interview happened, or was missed.
            self._appointment(
                person.id,
                None,
                _at(flow.intake_on, 14),
                60,
                _v(AppointmentKind.INTAKE),
                _v(
                    AppointmentStatus.MISSED
                    if flow.status == ReferralStatus.NO_SHOW
                    else AppointmentStatus.HELD
                ),
                "",
            )

    def _consents(self, person, on, referrer_id, sharing, rsa, noted):
        """The register as the intake fills it: processing always; when the person
        agrees to share, with the partner who referred them and, on RSA, the bilan;
        the sensitive data of a confidential section that holds something."""
        purposes = [(Purpose.PROCESSING, None)]
        if noted:
            purposes.append((Purpose.SENSITIVE, None))
        if sharing and referrer_id is not None:
            purposes.append((Purpose.SHARE_PARTNER, referrer_id))
        if sharing and rsa:
            purposes.append((Purpose.RSA_BILAN, None))
        for purpose, partner_id in purposes:
            self.t[ConsentRecord].add(
                self.centre_id,
                person.id,
                _v(purpose),
                partner_id,
                on,
                "",
                self.coordinator,
                _at(on, 10),
            )

    def _referral_flow(self, rng, received_on):
        """How the incoming referral went: intake, then admission or not, and when the
        pathway it opened ended."""
        flow = _Flow()
        intake = self._open_day(received_on + datetime.timedelta(days=rng.randint(7, 21)))
        flow.intake_on = intake
        draw = rng.random()
        if intake > self.end:
            # Still waiting: the intake is planned, or not yet.
            flow.status = ReferralStatus.INTAKE_PLANNED if draw < 0.6 else ReferralStatus.RECEIVED
            if flow.status == ReferralStatus.RECEIVED:
                flow.intake_on = None
            return flow
        if draw < 0.06:
            flow.status = ReferralStatus.NO_SHOW
        elif draw < 0.16:
            flow.status = ReferralStatus.NOT_ADMITTED
        else:
            flow.status = ReferralStatus.ADMITTED
            flow.admitted = True
            planned_exit = intake + datetime.timedelta(days=rng.randint(*PATHWAY_DAYS))
            if planned_exit <= self.end:
                flow.ended_on = self._open_day(planned_exit)
                if flow.ended_on > self.end:
                    flow.ended_on = None
            flow.outcome = rng.choices(list(EXIT_WEIGHTS), list(EXIT_WEIGHTS.values()))[0]
        flow.last_moment = _at(flow.ended_on or intake, 16)
        return flow

    def _referral(self, rng, person, flow, referrer, sharing):
        partner_id, contact_id, referrer_user = None, None, None
        if referrer is not None:
            partner_id = referrer[0]
            contact_id = rng.choice(referrer[2]) if referrer[2] else None
            if referrer[1] in (PartnerKind.UDAF, PartnerKind.MEDICO_SOCIAL) and (
                rng.random() < 0.3
            ):
                referrer_user = self.partner_worker
        received = _at(person.received_on, 10)
        moves = [(ReferralStatus.RECEIVED, received, "")]
        if flow.intake_on is not None:
            moves.append((ReferralStatus.INTAKE_PLANNED, _at(person.received_on + DAY, 11), ""))
        if flow.status not in OPEN_REFERRAL_STATUSES:
            reason = (
                "Réorientée vers une structure plus adaptée à ses besoins."
                if flow.status == ReferralStatus.NOT_ADMITTED
                else ""
            )
            moves.append((flow.status, _at(flow.intake_on, 15), reason))
        decided_on, reason = _decision(moves, OPEN_REFERRAL_STATUSES)
        referral_id = self.t[Referral].add(
            self.centre_id,
            person.id,
            _v(Direction.IN),
            partner_id,
            contact_id,
            referrer_user,
            person.received_on,
            rng.choice(people_demo.REASONS),
            rng.choice(people_demo.EXPECTATIONS),
            _v(moves[-1][0]),
            _at(flow.intake_on, 14) if flow.intake_on else None,
            decided_on,
            reason,
            "",
            None,
            received,
        )
        self._log(referral_id, moves)
        return referral_id

    def _log(self, referral_id, moves):
        """A referral's log rows, `moves` being (status, at, note) in order: unlike the
        other state machines, a referral logs its creation (from no status) too."""
        steps = [(_v(status), at, self.coordinator, note) for status, at, note in moves]
        created, at, by, note = steps[0]
        self.t[ReferralEvent].add(referral_id, "", created, at, by, note)
        self._moves(Referral, referral_id, created, steps[1:])

    def _moves(self, model, record_id, status, moves):
        """The log rows of a `model` record created in `status` then moved through
        `moves`, (status, at, by, reason) in order, as its services write them: each
        move is one its state machine allows, or the run stops."""
        add = self.t[LOGS[model]].add
        for after, at, by, reason in moves:
            if not self._may_move(model, status, after):
                raise ValueError(f"The {model.__name__} state machine forbids {status} → {after}.")
            add(record_id, status, after, at, by, reason)
            status = after

    def _may_move(self, model, before, after):
        known = self.s.moves
        if (model, before, after) not in known:
            known[model, before, after] = model(status=before).can_become(after)
        return known[model, before, after]

    def _pathway(self, rng, person, flow, referral_id, contract_id, sharing):
        started, ended = flow.intake_on, flow.ended_on
        pathway_id = self.t[Pathway].add(
            self.centre_id, person.id, self.programme_id, referral_id, started, ended
        )
        stopped = ended is not None and flow.outcome == STOPPED_COMING
        if ended is not None:
            self.t[PathwayExit].add(pathway_id, self.s.outcomes[flow.outcome], self.coordinator)
        plan = PathwayPlan(
            id=pathway_id,
            person_id=person.id,
            started_on=started,
            ended_on=ended,
            stopped_coming=stopped,
            reliability=rng.uniform(0.55, 0.97),
        )
        self.pathways.append(plan)
        last = ended or self.end
        self._appointments(rng, plan, last)
        self._goals(rng, plan, contract_id)
        if rng.random() < 0.6:
            self._assessments(rng, plan, last)
        if rng.random() < 0.35:
            self._relays(rng, plan, last, sharing)
        # Workshops: one to three weekly ones, sometimes the job desk or a series.
        chosen = rng.sample(self.weekly, min(len(self.weekly), rng.choice(WORKSHOPS_PER_PERSON)))
        if self.drop_in and rng.random() < 0.1:
            chosen.append(self.drop_in[0])
        if self.yearly and rng.random() < 0.3:
            chosen.append(rng.choice(self.yearly))
        for workshop in chosen:
            asked = started + datetime.timedelta(days=rng.randint(0, 21))
            if asked > self.end:
                continue
            leaves = ended
            if rng.random() < 0.2:
                # Some stop one workshop before the end of their pathway.
                early = asked + datetime.timedelta(days=rng.randint(30, 200))
                if early <= self.end and (ended is None or early < ended):
                    leaves = early
            self.requests[workshop].append(_Request(plan, asked, leaves))

    def _appointment(self, person_id, pathway_id, starts_at, duration, kind, status, note):
        """An appointment, planned; once it is over, the coordinator notes whether it
        was held or missed (`status`), a move of its log."""
        appointment_id = self.t[Appointment].add(
            self.centre_id,
            person_id,
            pathway_id,
            starts_at,
            duration,
            kind,
            status,
            note,
            self.coordinator,
        )
        if status != APPOINTMENT_PLANNED:
            over = starts_at + datetime.timedelta(minutes=duration)
            self._moves(
                Appointment,
                appointment_id,
                APPOINTMENT_PLANNED,
                [(status, over, self.coordinator, "")],
            )

    def _appointments(self, rng, plan, last):
        add = self._appointment
        add(
            plan.person_id,
            plan.id,
            _at(plan.started_on, 14),
            60,
            _v(AppointmentKind.INTAKE),
            _v(AppointmentStatus.HELD),
            "Premier entretien : attentes, freins, envies.",
        )
        notes = pathways_demo.NOTES + names.FOLLOW_UP_NOTES
        day = plan.started_on + datetime.timedelta(days=28)
        while True:
            day = self._open_day(day)
            if day >= last:
                break
            draw = rng.random()
            kind = (
                AppointmentKind.PHONE
                if draw > 0.9
                else AppointmentKind.HOME_VISIT
                if draw > 0.87
                else AppointmentKind.JOB_DESK
                if draw > 0.82
                else AppointmentKind.FOLLOW_UP
            )
            held = rng.random() < 0.85
            add(
                plan.person_id,
                plan.id,
                _at(day, rng.choice([9, 10, 14, 15])),
                45,
                _v(kind),
                _v(AppointmentStatus.HELD if held else AppointmentStatus.MISSED),
                rng.choice(notes) if held else "",
            )
            day += datetime.timedelta(days=rng.randint(21, 40))
        if plan.ended_on is None and rng.random() < 0.5:
            ahead = self._open_day(self.end + datetime.timedelta(days=rng.randint(1, 20)))
            add(
                plan.person_id,
                plan.id,
                _at(ahead, rng.choice([9, 14, 16])),
                45,
                _v(AppointmentKind.FOLLOW_UP),
                APPOINTMENT_PLANNED,
                "",
            )

    def _goals(self, rng, plan, contract_id):
        """One to three goals; those reached or given up were so at their due date, or
        at the end of the pathway if it came first."""
        due_on = plan.started_on + datetime.timedelta(days=180)
        settled = _at(min(due_on, plan.ended_on or self.end), 16)
        for axis in rng.sample(list(Axis), rng.randint(1, 3)):
            if plan.ended_on is None:
                status = rng.choice([GoalStatus.IN_PROGRESS] * 3 + [GoalStatus.REACHED])
            else:
                status = rng.choice(
                    [GoalStatus.REACHED, GoalStatus.REACHED, GoalStatus.GIVEN_UP]
                    + [GoalStatus.IN_PROGRESS]
                )
            goal_id = self.t[Goal].add(
                plan.id,
                _v(axis),
                rng.choice(pathways_demo.GOALS[axis]),
                due_on,
                _v(status),
                contract_id if contract_id and rng.random() < 0.5 else None,
                _at(
                    min(plan.started_on + datetime.timedelta(days=rng.randint(0, 20)), self.end), 15
                ),
            )
            if status != GOAL_IN_PROGRESS:
                self._moves(
                    Goal, goal_id, GOAL_IN_PROGRESS, [(_v(status), settled, self.coordinator, "")]
                )

    def _assessments(self, rng, plan, last):
        """Scored at intake, then about every three months, as the demo does."""
        day = plan.started_on + datetime.timedelta(days=rng.randint(0, 14))
        if day > last:
            return
        values = {
            c: rng.choices(LEVELS, weights=assessment_demo.INTAKE_WEIGHTS)[0] for c in self.criteria
        }
        scorings = [(day, values)]
        while len(scorings) < 6:
            day += datetime.timedelta(days=rng.randint(80, 100))
            if day > last:
                break
            values = assessment_demo._follow_up(values, rng)
            scorings.append((day, values))
        self_assessed = rng.random() < 0.35
        for index, (on, values) in enumerate(scorings):
            self._scoring(plan, on, AssessmentBy.COORDINATOR, values)
            if self_assessed and index in (0, len(scorings) - 1):
                seen = assessment_demo._as_seen_by_the_person(values, rng)
                self._scoring(plan, on, AssessmentBy.SELF, seen)

    def _scoring(self, plan, on, by, values):
        assessment_id = self.t[Assessment].add(plan.id, self.grid_id, on, _v(by), self.coordinator)
        add = self.t[Score].add
        for criterion, value in values.items():
            add(assessment_id, criterion, value)

    def _relays(self, rng, plan, last, sharing):
        for _ in range(rng.choice([1, 1, 2])):
            sent = plan.started_on + datetime.timedelta(
                days=rng.randint(14, max(15, (last - plan.started_on).days))
            )
            sent = self._open_day(sent)
            if sent > self.end:
                continue
            partner_id, _kind, contacts = rng.choice(self.relay_partners)
            path = [ReferralStatus.SENT]
            if (self.end - sent).days > 30:
                draw = rng.random()
                if draw < 0.5:
                    path += [ReferralStatus.ACCEPTED, ReferralStatus.SEEN]
                elif draw < 0.62:
                    path += [ReferralStatus.REFUSED]
                elif draw < 0.8:
                    path += [ReferralStatus.NO_ANSWER]
                else:
                    path += [ReferralStatus.ACCEPTED]
            moves = [
                (status, _at(sent + datetime.timedelta(days=7 * step), 11), "")
                for step, status in enumerate(path)
            ]
            final, answered_at, _note = moves[-1]
            if final not in OPEN_RELAY_STATUSES:
                moves[-1] = (final, answered_at, "Réponse du partenaire notée.")
            decided_on, reason = _decision(moves, OPEN_RELAY_STATUSES)
            relay_id = self.t[Referral].add(
                self.centre_id,
                plan.person_id,
                _v(Direction.OUT),
                partner_id,
                rng.choice(contacts) if contacts else None,
                None,
                sent,
                rng.choice(names.RELAY_REASONS),
                "",
                _v(final),
                None,
                decided_on,
                reason,
                names.RELAY_SHARED if sharing else "",
                sent + datetime.timedelta(days=21),
                _at(sent, 11),
            )
            self._log(relay_id, moves)

    def _case_reviews(self):
        """A support cell most months, on the pathways that need it."""
        rng = self.rng
        by_start = sorted(self.pathways, key=lambda p: p.started_on)
        starts = [p.started_on for p in by_start]
        month = datetime.date(self.start.year, self.start.month, 1)
        while month <= self.end:
            if month.month not in (7, 8) and month >= self.start:
                held_on = self._open_day(month + datetime.timedelta(days=rng.randint(7, 20)))
                if held_on <= self.end:
                    review_id = self.t[CaseReview].add(self.centre_id, held_on)
                    for contact in rng.sample(self.all_contacts, min(3, len(self.all_contacts))):
                        self.t[CaseReview.participants.through].add(review_id, contact)
                    seen = set()
                    for plan in _open_on(by_start, starts, held_on, rng, rng.randint(2, 4)):
                        if plan.person_id not in seen:
                            seen.add(plan.person_id)
                            self.t[CaseReviewItem].add(
                                review_id, plan.person_id, rng.choice(names.REVIEW_DECISIONS)
                            )
            month = (month + datetime.timedelta(days=32)).replace(day=1)

    # Sessions, enrolments, attendance

    def _sessions_and_attendance(self):
        by_start = sorted(self.pathways, key=lambda p: p.started_on)
        starts = [p.started_on for p in by_start]
        for workshop in self.workshops:
            intervals = self._enrolments(workshop)
            self._sessions(workshop, intervals, by_start, starts)

    def _enrolments(self, workshop):
        """Enrol in order of asking; when the workshop is full, the person waits and
        takes the first place that frees (as `enrolment_end` does). Returns the periods
        each person was actually enrolled: (from, to or None, pathway)."""
        requests = sorted(self.requests[workshop], key=lambda r: (r.asked, r.plan.id))
        capacity = workshop.capacity or len(requests) + 1
        active = []  # heap of (leaves, order, request)
        waiting = deque()
        periods = []

        def release(before):
            while active and active[0][0] < before:
                freed_on, _order, _request = heapq.heappop(active)
                while waiting:
                    candidate = waiting.popleft()
                    if candidate.leaves is not None and candidate.leaves <= freed_on:
                        continue  # left the programme while waiting
                    candidate.enrolled_on = max(freed_on, candidate.asked)
                    heapq.heappush(active, (_key(candidate.leaves), candidate.plan.id, candidate))
                    break

        for request in requests:
            release(request.asked)
            if len(active) < capacity:
                request.enrolled_on = request.asked
                heapq.heappush(active, (_key(request.leaves), request.plan.id, request))
            else:
                request.waited = True
                waiting.append(request)
        release(self.end + DAY)
        add = self.t[Enrolment].add
        for request in requests:
            leaves = request.leaves if request.leaves and request.leaves <= self.end else None
            # Its log, as `enrolment_end` writes it: a promotion when a place freed up,
            # then its own end (the pathway's, or the workshop's alone).
            created = WAITING if request.waited else ENROLLED
            moves = []
            if request.enrolled_on is not None:
                starts_on = request.enrolled_on
                periods.append((starts_on, leaves, request.plan))
                if request.waited:
                    promoted = _at(request.enrolled_on, 16)
                    moves.append((ENROLLED, promoted, self.coordinator, PROMOTION_REASON))
            else:
                starts_on = request.asked
            if leaves:
                moves.append((ENDED, _at(leaves, 16), self.coordinator, ""))
            enrolment_id = add(
                workshop.id,
                request.plan.person_id,
                moves[-1][0] if moves else created,
                starts_on,
                leaves,
                _at(request.asked, 11),
            )
            self._moves(Enrolment, enrolment_id, created, moves)
        return periods

    def _dates(self, workshop):
        """(date, starts, ends, slot id) of the workshop's sessions, in order."""
        calendar = self.calendar
        dates = []
        for slot_id, weekday, starts, ends in workshop.slots:
            day = self.start + datetime.timedelta(days=(weekday - self.start.weekday()) % 7)
            while day <= self.horizon:
                if not calendar.why_closed(day, runs_in_school_holidays=workshop.holidays):
                    dates.append((day, starts, ends, slot_id))
                day += datetime.timedelta(days=7)
        if workshop.target:
            # Series and outings are planned by date, spread over each year (Wednesdays).
            outing = workshop.kind == WorkshopKind.OUTING
            starts, ends = (
                (datetime.time(13, 30), datetime.time(17, 30))
                if outing
                else (
                    datetime.time(10),
                    datetime.time(11, 30),
                )
            )
            step = 340 // workshop.target
            taken = set()
            for year in range(self.start.year, self.horizon.year + 1):
                for number in range(workshop.target):
                    day = datetime.date(year, 1, 7) + datetime.timedelta(days=number * step)
                    day += datetime.timedelta(days=(2 - day.weekday()) % 7)
                    # A closed Wednesday moves the session to the next free one.
                    while day in taken or calendar.why_closed(
                        day, runs_in_school_holidays=workshop.holidays
                    ):
                        day += datetime.timedelta(days=7)
                    taken.add(day)
                    if self.start <= day <= self.horizon:
                        dates.append((day, starts, ends, None))
        dates.sort(key=lambda d: (d[0], d[1]))
        return dates

    def _sessions(self, workshop, periods, by_start, starts):
        rng = self.rng
        periods.sort(key=lambda p: p[0])
        sessions = self.t[Session]
        marks = self.t[Attendance]
        current = []  # periods under way
        upcoming = iter(periods)
        pending = next(upcoming, None)
        drop_in = workshop.kind == WorkshopKind.DROP_IN

        def add(date, status, reason="", recorded_at=None):
            """A session, planned, then held when its attendance was recorded or
            cancelled on its morning, as the services log it."""
            day, begins, ends, slot_id = date
            session_id = sessions.add(
                self.centre_id,
                workshop.id,
                day,
                begins,
                ends,
                status,
                reason,
                slot_id,
                day if slot_id else None,
                recorded_at,
            )
            if status == HELD:
                moves = [(HELD, recorded_at, workshop.facilitator, "")]
            elif status == CANCELLED:
                moves = [(CANCELLED, _at(day, 8), self.coordinator, reason)]
            else:
                moves = []
            self._moves(Session, session_id, PLANNED, moves)
            return session_id

        for date in self._dates(workshop):
            day, _begins, ends, _slot_id = date
            while pending is not None and pending[0] <= day:
                current.append(pending)
                pending = next(upcoming, None)
            current = [p for p in current if p[1] is None or p[1] >= day]
            if day > self.end:
                add(date, PLANNED)
                continue
            draw = rng.random()
            if draw < 0.02:
                add(date, CANCELLED, rng.choice(names.CANCEL_REASONS))
                continue
            if draw < 0.035:
                # Nobody recorded this one: the home page flags it.
                add(date, PLANNED)
                continue
            walk_ins = rng.randint(2, 6) if drop_in else (1 if rng.random() < 0.05 else 0)
            if not current and not walk_ins:
                add(date, CANCELLED, "Aucun participant inscrit")
                continue
            recorded_at = _at(day, ends.hour, ends.minute)
            stamp = marks.adapt("recorded_at", recorded_at)
            session_id = add(date, HELD, recorded_at=recorded_at)
            marked = set()
            for _start, _end, plan in current:
                chance = plan.reliability
                if plan.stopped_coming and (plan.ended_on - day).days < 60:
                    chance = 0.1
                draw = rng.random()
                presence = (
                    PRESENT
                    if draw < chance
                    else ABSENT
                    if draw < chance + (1 - chance) / 2
                    else EXCUSED
                )
                marks.add(
                    session_id,
                    plan.person_id,
                    presence,
                    False,
                    workshop.facilitator,
                    stamp,
                )
                marked.add(plan.person_id)
            for plan in _open_on(by_start, starts, day, rng, walk_ins):
                if plan.person_id in marked:
                    continue
                marked.add(plan.person_id)
                marks.add(session_id, plan.person_id, PRESENT, True, workshop.facilitator, stamp)


def _decision(moves, open_statuses):
    """The decision day and reason of a referral whose log is `moves`, as the services
    record them: the day and note of the move that left the open states; none before."""
    status, at, note = moves[-1]
    if status in open_statuses:
        return None, ""
    return at.date(), note


def _key(leaves):
    return leaves or datetime.date.max


def _open_on(by_start, starts, day, rng, wanted):
    """Up to `wanted` pathways open on `day`, drawn at random (few tries: a sample)."""
    found = []
    limit = bisect.bisect_right(starts, day)
    if not limit:
        return found
    for _ in range(wanted * 8):
        plan = by_start[rng.randrange(limit)]
        if (plan.ended_on is None or plan.ended_on >= day) and plan not in found:
            found.append(plan)
            if len(found) == wanted:
                break
    return found


@dataclass(eq=False)
class WorkshopPlan:
    id: int
    kind: str
    capacity: int | None
    holidays: bool
    facilitator: int
    target: int | None = None
    slots: list = field(default_factory=list)


@dataclass
class _PersonDraft:
    received_on: datetime.date
    id: int | None = None


@dataclass
class _Flow:
    status: str = ReferralStatus.RECEIVED
    intake_on: datetime.date | None = None
    admitted: bool = False
    ended_on: datetime.date | None = None
    outcome: str | None = None
    last_moment: datetime.datetime | None = None


@dataclass
class _Request:
    plan: PathwayPlan
    asked: datetime.date
    leaves: datetime.date | None
    enrolled_on: datetime.date | None = None
    waited: bool = False
