"""The figures of the annual activity report (bilan d'activité) of a programme, for a
period and for the period just before it (`shape.previous_period`).

Every figure is an aggregate computed by the database (counts, sums and averages over
`values()` groups); Python only lays the grouped counts out as rows, and pairs each
person's first and latest assessment for the progress figures (see
`_progress_figures`). The number of
queries is fixed: it grows with neither the number of people nor that of pathways,
sessions, appointments or assessments.

What each figure counts, for a period [start, end], both days included. Only the
centre's pathways of the programme count, and only the people the funder counts (see
FUNDER_RULES):

- people followed: people with a pathway open during the period (started on or before
  `end`, not ended before `start`), each person once however many pathways they had;
- new entries: people with a pathway started in the period, each person once;
- exits: pathways ended in the period (someone who left twice is two exits);
- distributions (sex, age, neighbourhood, household, income, referrer, French level):
  the people followed, as their file reads today (a file keeps no history of these);
  the age is the age in whole years on the period's last day;
- referrer: the kind of partner of the incoming referral that led to a pathway of the
  period (the latest such pathway), or else of the person's latest incoming referral
  received by the period's end; no partner, or no referral at all, is a "démarche
  personnelle";
- entries per month: people with a pathway started in each month of the period;
- workshops: `workshops.stats.workshop_figures` (see its docstring), for the workshops
  of the programme and those attached to no programme. A funder's selection of people
  does not apply to them;
- appointments: appointments held in the period (`starts_at` on a day of the period,
  French time) of the people followed, attached to a pathway of the programme or to
  none; the average divides them by the people followed;
- relays: outgoing referrals sent in the period (`received_on`) for the people
  followed, by kind of partner and by their status today;
- progress: for each person with at least two coordinator assessments in the period,
  their first against their latest. Per criterion (criteria with the same label are
  the same, whatever the grid version): the share of these people whose level rose.
  Overall: the share whose average level over all criteria rose, and the average
  change of that average level;
- exit outcomes: the pathways ended in the period by outcome and by family; positive
  exits are those whose outcome is marked positive by the centre;
- duration: the average number of days from entry to exit (`ended_on - started_on`)
  of the pathways ended in the period; months are days / 30.4375 (365.25 / 12).

Shares are percentages rounded to one decimal, None when there is nothing to divide.
"""

import datetime
import hashlib
import hmac
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from django.conf import settings
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    TruncMonth,
)
from django.db.models.lookups import Exact, GreaterThan, GreaterThanOrEqual
from django.utils import timezone

from parcours.partners.enums import PartnerKind
from parcours.pathways.enums import AppointmentStatus, AssessmentBy, OutcomeFamily
from parcours.pathways.models import Appointment, Assessment, Pathway, Score
from parcours.people.enums import (
    ISCED,
    Benefit,
    Direction,
    FrenchLevel,
    Household,
    ReferralStatus,
    Sex,
)
from parcours.people.models import Person, Referral
from parcours.workshops.enums import SessionStatus
from parcours.workshops.models import Attendance
from parcours.workshops.stats import MARK_FIGURES, FigureRow, workshop_figures

from .enums import Funder
from .models import Narrative
from .shape import Report, Row, Section, Table, previous_period

# Funders


class FunderRule:
    """All funders: every person followed, the standard sections."""

    # Lookups on Person that a person must match to be counted.
    people = {}
    # The household tables come first in the people section.
    household_first = False
    # The FSE+ participant indicators are added as a section of their own.
    fse = False

    @classmethod
    def people_q(cls, prefix=""):
        return Q(**{prefix + lookup: value for lookup, value in cls.people.items()})


class DepartementRule(FunderRule):
    """Département (programme d'insertion RSA): only RSA recipients count, that is the
    people whose main income on their file is the RSA. Every person-based figure of
    every section is restricted to them."""

    people = {"benefit": Benefit.RSA}


class CafRule(FunderRule):
    """CAF: every person followed, with the household tables (family situation, single
    parents) first in the people section."""

    household_first = True


class CityRule(FunderRule):
    """City (contrat de ville): only the residents of a priority neighbourhood (QPV)
    count. Every person-based figure of every section is restricted to them."""

    people = {"neighbourhood__is_qpv": True}


class FseRule(FunderRule):
    """FSE+: every person followed, plus the section of participant indicators at entry
    and at exit; `fse_participants` gives the one-row-per-participant list."""

    fse = True


FUNDER_RULES = {
    Funder.ALL: FunderRule,
    Funder.DEPARTEMENT: DepartementRule,
    Funder.CAF: CafRule,
    Funder.CITY: CityRule,
    Funder.FSE: FseRule,
}


# Categories and labels

UNKNOWN = "unknown"
NOT_FILLED = "Non renseigné"

# (key, label, lowest age, age no longer in the band)
AGE_BANDS = [
    ("under_26", "Moins de 26 ans", None, 26),
    ("26_44", "26 à 44 ans", 26, 45),
    ("45_54", "45 à 54 ans", 45, 55),
    ("55_plus", "55 ans et plus", 55, None),
]
FSE_AGE_BANDS = [
    ("under_25", "Moins de 25 ans", None, 25),
    ("25_54", "25 à 54 ans", 25, 55),
    ("55_plus", "55 ans et plus", 55, None),
]
# FSE+ employment status at entry, read from the main income (the file has no
# employment status of its own): key → (label, incomes).
EMPLOYMENT_STATUSES = {
    "employed": ("En emploi (revenus d'activité)", [Benefit.SALARY]),
    "unemployed": (
        "Demandeur d'emploi (ARE, ASS, fin de droits)",
        [Benefit.ARE, Benefit.ASS, Benefit.END_OF_RIGHTS],
    ),
    "other": (
        "Sans emploi, hors allocation chômage (RSA, AAH, autre, aucune ressource)",
        [Benefit.RSA, Benefit.AAH, Benefit.OTHER, Benefit.NONE],
    ),
}
PERSONAL_APPROACH = "Démarche personnelle"
RELAY_STATUSES = [
    ReferralStatus.SENT,
    ReferralStatus.ACCEPTED,
    ReferralStatus.SEEN,
    ReferralStatus.REFUSED,
    ReferralStatus.NO_ANSWER,
]
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
DAYS_PER_MONTH = 365.25 / 12


# The scope of a report and its periods


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def days(self):
        return (self.start, self.end)

    @property
    def moments(self):
        """[first moment, moment after the last day) in the centre's time zone."""
        zone = timezone.get_current_timezone()
        after = self.end + datetime.timedelta(days=1)
        return (
            datetime.datetime.combine(self.start, datetime.time(), tzinfo=zone),
            datetime.datetime.combine(after, datetime.time(), tzinfo=zone),
        )

    def open_pathways(self, prefix=""):
        """Condition on Pathway: open at some point of the period."""
        return Q(**{f"{prefix}started_on__lte": self.end}) & (
            Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": self.start})
        )


@dataclass(frozen=True)
class Scope:
    centre: object
    programme: object
    rule: type[FunderRule]

    def pathways(self):
        """The centre's pathways of the programme, of the people the funder counts."""
        return (
            Pathway.objects.filter(centre=self.centre, programme=self.programme)
            .filter(self.rule.people_q("person__"))
            .order_by()
        )

    def followed(self, period):
        """The people followed in the period, each once."""
        open_pathways = self.pathways().filter(period.open_pathways(), person=OuterRef("pk"))
        return (
            Person.objects.filter(centre=self.centre)
            .filter(self.rule.people_q())
            .filter(Exists(open_pathways))
            .order_by()
        )


def _born_before(day, years):
    """The latest birth date of someone who is `years` old on `day`."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February: the birthday falls on 28 February that year
        return day.replace(year=day.year - years, day=28)


def _age_band_q(band, day):
    """Condition on Person: in the age band on `day`."""
    _key, _label, lowest, beyond = band
    condition = Q(birth_date__isnull=False)
    if lowest is not None:
        condition &= Q(birth_date__lte=_born_before(day, lowest))
    if beyond is not None:
        condition &= Q(birth_date__gt=_born_before(day, beyond))
    return condition


def _age_on(day, birth):
    """The age in whole years on the date field `day` of someone born on `birth`,
    computed by the database (the birthday counts from its own day)."""
    birthday_reached = Q(GreaterThan(ExtractMonth(day), ExtractMonth(birth))) | (
        Q(Exact(ExtractMonth(day), ExtractMonth(birth)))
        & Q(GreaterThanOrEqual(ExtractDay(day), ExtractDay(birth)))
    )
    return (
        ExtractYear(day)
        - ExtractYear(birth)
        - Case(When(birthday_reached, then=Value(0)), default=Value(1), output_field=IntegerField())
    )


def _fse_age_band_q(band, age="age"):
    """Condition on an `age` annotation (see `_age_on`): in the age band."""
    _key, _label, lowest, beyond = band
    condition = Q(**{f"{age}__isnull": False})
    if lowest is not None:
        condition &= Q(**{f"{age}__gte": lowest})
    if beyond is not None:
        condition &= Q(**{f"{age}__lt": beyond})
    return condition


def _choice_counts(name, lookup, choices):
    """Conditional counts of rows by value of `lookup`: `<name>_<value>` for each choice
    and `<name>_unknown` for a field left empty."""
    counts = {
        f"{name}_{value}": Count("pk", filter=Q(**{lookup: value})) for value in choices.values
    }
    counts[f"{name}_{UNKNOWN}"] = Count("pk", filter=Q(**{lookup: ""}))
    return counts


def _share(part, whole):
    if not whole:
        return None
    return round(100 * part / whole, 1)


def _number(value, digits=1):
    return None if value is None else round(float(value), digits)


# The queries of one period


@dataclass
class Figures:
    """The raw figures of one period."""

    period: Period
    people: dict = field(default_factory=dict)
    neighbourhoods: list = field(default_factory=list)
    referrers: dict = field(default_factory=dict)
    referrer_partners: dict = field(default_factory=dict)
    entries_by_month: dict = field(default_factory=dict)
    pathways: dict = field(default_factory=dict)
    workshops: list = field(default_factory=list)
    workshops_total: FigureRow | None = None
    year: int | None = None
    appointments: dict = field(default_factory=dict)
    relays: list = field(default_factory=list)
    criteria: list = field(default_factory=list)
    progress: dict = field(default_factory=dict)
    outcomes: list = field(default_factory=list)
    fse_entry: dict = field(default_factory=dict)


def _gather(scope, period):
    """Every figure of one period, in a fixed number of queries."""
    figures = Figures(period=period)
    people = scope.followed(period)
    _people_figures(figures, scope, people)
    _workshop_figures(figures, scope)
    _support_figures(figures, scope, people)
    _progress_figures(figures, scope)
    figures.outcomes = list(
        scope.pathways()
        .filter(ended_on__range=period.days)
        .values(
            "exit__outcome",
            "exit__outcome__label",
            "exit__outcome__family",
            "exit__outcome__is_positive",
            "exit__outcome__order",
        )
        .annotate(count=Count("pk"))
        .order_by("exit__outcome__order", "exit__outcome__label", "exit__outcome")
    )
    if scope.rule.fse:
        _fse_figures(figures, scope)
    return figures


def _people_figures(figures, scope, people):
    period = figures.period
    figures.people = people.aggregate(
        total=Count("pk"),
        **_choice_counts("sex", "sex", Sex),
        **{
            f"age_{band[0]}": Count("pk", filter=_age_band_q(band, period.end))
            for band in AGE_BANDS
        },
        **{f"age_{UNKNOWN}": Count("pk", filter=Q(birth_date__isnull=True))},
        qpv_yes=Count("pk", filter=Q(neighbourhood__is_qpv=True)),
        qpv_no=Count("pk", filter=Q(neighbourhood__is_qpv=False)),
        qpv_unknown=Count("pk", filter=Q(neighbourhood__isnull=True)),
        **_choice_counts("household", "household", Household),
        **_choice_counts("benefit", "benefit", Benefit),
        **_choice_counts("french", "french_level", FrenchLevel),
    )
    figures.neighbourhoods = list(
        people.values("neighbourhood", "neighbourhood__name", "neighbourhood__is_qpv")
        .annotate(count=Count("pk"))
        .order_by("neighbourhood__name", "neighbourhood")
    )
    # The referral behind the latest pathway of the period, else the latest received.
    pathway_referral = (
        scope.pathways()
        .filter(period.open_pathways(), person=OuterRef("pk"), referral__isnull=False)
        .order_by("-started_on", "-pk")
        .values("referral")[:1]
    )
    latest_referral = (
        Referral.objects.filter(
            person=OuterRef("pk"), direction=Direction.IN, received_on__lte=period.end
        )
        .order_by("-received_on", "-pk")
        .values("pk")[:1]
    )
    referrer = Referral.objects.filter(pk=OuterRef("referrer_referral"))
    referred = people.annotate(
        referrer_referral=Coalesce(Subquery(pathway_referral), Subquery(latest_referral))
    ).annotate(
        referrer_kind=Subquery(referrer.values("partner__kind")[:1]),
        referrer_name=Subquery(referrer.values("partner__name")[:1]),
    )
    # One grouping by (kind, partner), added up per kind and per partner: the referral
    # subqueries run once, not once per figure.
    referrers, referrer_partners = defaultdict(int), defaultdict(int)
    grouped = referred.values("referrer_kind", "referrer_name").annotate(count=Count("pk"))
    for row in grouped.order_by():
        referrers[row["referrer_kind"]] += row["count"]
        referrer_partners[row["referrer_name"]] += row["count"]
    figures.referrers, figures.referrer_partners = dict(referrers), dict(referrer_partners)
    pathways = scope.pathways()
    figures.entries_by_month = {
        row["month"]: row["count"]
        for row in pathways.filter(started_on__range=period.days)
        .annotate(month=TruncMonth("started_on"))
        .values("month")
        .annotate(count=Count("person", distinct=True))
        .order_by()
    }
    ended = Q(ended_on__range=period.days)
    figures.pathways = pathways.aggregate(
        entries=Count("person", distinct=True, filter=Q(started_on__range=period.days)),
        exits=Count("pk", filter=ended),
        duration=Avg(F("ended_on") - F("started_on"), filter=ended),
    )


def _workshop_figures(figures, scope):
    """The workshops of the programme and those of no programme, from `workshop_figures`;
    the total is its own unless another programme's workshops had to be left out."""
    period = figures.period
    found = workshop_figures(scope.centre, period.start, period.end)
    figures.year = found.year
    rows = [row for row in found.rows if row.workshop.programme_id in (None, scope.programme.pk)]
    figures.workshops = rows
    if len(rows) == len(found.rows):
        figures.workshops_total = found.total
        return
    # Distinct people cannot be added up across workshops: one query, on the same
    # definition as workshop_figures' own.
    participants = (
        Attendance.objects.filter(
            session__centre=scope.centre,
            session__date__range=period.days,
            session__workshop__in=[row.workshop.pk for row in rows],
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .aggregate(participants=MARK_FIGURES["participants"])["participants"]
    )
    additive = (
        "planned",
        "held",
        "cancelled",
        "attendances",
        "present_minutes",
        "expected_marks",
        "present_expected_marks",
    )
    figures.workshops_total = FigureRow(
        participants=participants,
        **{name: sum(getattr(row, name) or 0 for row in rows) for name in additive},
    )


def _support_figures(figures, scope, people):
    period = figures.period
    figures.appointments = (
        Appointment.objects.filter(
            centre=scope.centre,
            status=AppointmentStatus.HELD,
            starts_at__gte=period.moments[0],
            starts_at__lt=period.moments[1],
            person__in=people.values("pk"),
        )
        .filter(Q(pathway__isnull=True) | Q(pathway__programme=scope.programme))
        .aggregate(held=Count("pk"), people=Count("person", distinct=True))
    )
    figures.relays = list(
        Referral.objects.filter(
            centre=scope.centre,
            direction=Direction.OUT,
            received_on__range=period.days,
            person__in=people.values("pk"),
        )
        .values("partner__kind", "status")
        .annotate(count=Count("pk"))
        .order_by()
    )


def _progress_figures(figures, scope):
    """Each person's first and latest coordinator assessment of the period, compared.
    The database selects the period's assessments and their scores (two queries); the
    pairing is done here, on a few rows per person: in SQL it took correlated
    subqueries per score, the slowest part of the report (bench, federation size)."""
    assessments = (
        Assessment.objects.filter(
            pathway__centre=scope.centre,
            pathway__programme=scope.programme,
            by=AssessmentBy.COORDINATOR,
            assessed_on__range=figures.period.days,
        )
        .filter(scope.rule.people_q("pathway__person__"))
        .order_by()
    )
    by_person = defaultdict(list)
    for pk, person, day in assessments.values_list("pk", "pathway__person", "assessed_on"):
        by_person[person].append((day, pk))
    pairs = []  # (first, latest) assessment ids of the people assessed twice or more
    for dated in by_person.values():
        dated.sort()
        if len(dated) > 1:
            pairs.append((dated[0][1], dated[-1][1]))
    scores = defaultdict(list)  # assessment id: [(criterion label, value, order)]
    compared_ids = [pk for pair in pairs for pk in pair]
    rows = Score.objects.filter(assessment__in=compared_ids).order_by("pk")
    for assessment, label, order, value in rows.values_list(
        "assessment", "criterion__label", "criterion__order", "value"
    ):
        scores[assessment].append((label, value, order))
    criteria, improved, changes = {}, 0, []
    for first, latest in pairs:
        # A label's score in the first assessment (the first such score, should a grid
        # repeat a label in two groups); every score of the latest one is compared.
        first_values = {}
        for label, value, _order in scores[first]:
            first_values.setdefault(label, value)
        for label, value, order in scores[latest]:
            row = criteria.setdefault(
                label, {"criterion__label": label, "compared": 0, "improved": 0, "order": order}
            )
            row["order"] = min(row["order"], order)
            if label in first_values:
                row["compared"] += 1
                row["improved"] += value > first_values[label]
        averages = [_average(value for _, value, _ in scores[pk]) for pk in (first, latest)]
        if None not in averages:
            changes.append(averages[1] - averages[0])
            improved += averages[1] > averages[0]
    figures.criteria = sorted(criteria.values(), key=lambda r: (r["order"], r["criterion__label"]))
    figures.progress = {
        "compared": len(pairs),
        "improved": improved,
        "change": _average(changes),
    }


def _average(values):
    """The exact mean of `values` (None when empty), as SQL's AVG of integers gives it."""
    values = list(values)
    return Fraction(sum(values), len(values)) if values else None


def _fse_figures(figures, scope):
    entering = (
        scope.pathways()
        .filter(started_on__range=figures.period.days)
        .annotate(age=_age_on("started_on", "person__birth_date"))
    )
    figures.fse_entry = entering.aggregate(
        participants=Count("pk"),
        **_choice_counts("sex", "person__sex", Sex),
        **{
            f"employment_{key}": Count("pk", filter=Q(person__benefit__in=incomes))
            for key, (_label, incomes) in EMPLOYMENT_STATUSES.items()
        },
        **{f"employment_{UNKNOWN}": Count("pk", filter=Q(person__benefit=""))},
        **{f"age_{band[0]}": Count("pk", filter=_fse_age_band_q(band)) for band in FSE_AGE_BANDS},
        **{f"age_{UNKNOWN}": Count("pk", filter=Q(person__birth_date__isnull=True))},
        single_parent=Count("pk", filter=Q(person__household=Household.SINGLE_PARENT)),
        qpv=Count("pk", filter=Q(person__neighbourhood__is_qpv=True)),
        aah=Count("pk", filter=Q(person__benefit=Benefit.AAH)),
        disability=Count("pk", filter=Q(person__disability_recognised=True)),
        **{
            key: Count("pk", filter=Q(person__education_level__in=levels))
            for key, (_label, levels) in ISCED.items()
        },
        **{f"isced_{UNKNOWN}": Count("pk", filter=Q(person__education_level=""))},
    )


# The report


def compute(*, centre, programme, start, end, funder=""):
    """The report of `programme` of `centre` from `start` to `end` (both included),
    beside the previous period, as `funder` counts (see FUNDER_RULES)."""
    rule = FUNDER_RULES[Funder(funder)]
    scope = Scope(centre, programme, rule)
    previous_start, previous_end = previous_period(start, end)
    now = _gather(scope, Period(start, end))
    before = _gather(scope, Period(previous_start, previous_end))
    sections = [
        _people_section(now, before, rule),
        _workshops_section(now, before, rule),
        _support_section(now, before),
        _progress_section(now, before),
        _exits_section(now, before),
        _duration_section(now, before),
    ]
    if rule.fse:
        sections.append(_fse_section(now, before))
    return Report(
        centre=centre.name,
        programme=programme.name,
        start=start,
        end=end,
        previous_start=previous_start,
        previous_end=previous_end,
        funder=str(funder),
        sections=sections,
    )


def report_narratives(report, centre, programme):
    """Fill each section's narrative with the coordinator's text kept for this period
    (one query)."""
    texts = dict(
        Narrative.objects.filter(
            centre=centre, programme=programme, start=report.start, end=report.end
        ).values_list("section", "text")
    )
    for section in report.sections:
        section.narrative = texts.get(section.key, "")
    return report


def _rows(labels, now, before, unit="", default=0, keep_zero=True):
    """Rows of `labels` ([(key, label)]) from the two periods' {key: value}; without
    `keep_zero`, a row empty in both periods is left out."""
    return [
        Row(label, now.get(key, default), before.get(key, default), unit)
        for key, label in labels
        if keep_zero or now.get(key) or before.get(key)
    ]


def _choice_labels(name, choices):
    return [(f"{name}_{value}", label) for value, label in choices.choices]


def _distribution(name, choices, now, before):
    """A row per choice, and one for the files where the field is empty if any is."""
    return _rows(_choice_labels(name, choices), now, before) + _rows(
        [(f"{name}_{UNKNOWN}", NOT_FILLED)], now, before, keep_zero=False
    )


def _people_section(now, before, rule):
    p, q = now.people, before.people
    end = now.period.end
    headline = Table(
        "headline",
        "Effectifs",
        [
            Row("Personnes accompagnées", p["total"], q["total"]),
            Row("Nouvelles entrées", now.pathways["entries"], before.pathways["entries"]),
            Row("Sorties", now.pathways["exits"], before.pathways["exits"]),
        ],
        note=(
            "Personnes ayant un parcours en cours sur la période, comptées une fois ; "
            "entrées : personnes entrées sur la période ; sorties : parcours terminés."
        ),
    )
    sex = Table(
        "sex",
        "Par sexe",
        _distribution("sex", Sex, p, q),
        chart="bar",
    )
    age = Table(
        "age",
        "Par âge",
        _rows([(f"age_{key}", label) for key, label, *_ in AGE_BANDS], p, q)
        + _rows([(f"age_{UNKNOWN}", "Âge non renseigné")], p, q, keep_zero=False),
        chart="bar",
        note=f"Âge au {end:%d/%m/%Y}.",
    )
    neighbourhood = Table(
        "neighbourhood", "Par quartier", _neighbourhood_rows(now, before), chart="bar"
    )
    qpv = Table(
        "qpv",
        "Quartiers prioritaires (QPV)",
        _rows([("qpv_yes", "En QPV"), ("qpv_no", "Hors QPV")], p, q)
        + _rows([("qpv_unknown", "Quartier non renseigné")], p, q, keep_zero=False),
        chart="bar",
    )
    household_labels = [
        (f"household_{Household.SINGLE_PARENT}", Household.SINGLE_PARENT.label),
        *(
            item
            for item in _choice_labels("household", Household)
            if item[0] != f"household_{Household.SINGLE_PARENT}"
        ),
    ]
    household = Table(
        "household",
        "Par situation familiale",
        _rows(household_labels, p, q)
        + _rows([(f"household_{UNKNOWN}", NOT_FILLED)], p, q, keep_zero=False),
        chart="bar",
    )
    single = f"household_{Household.SINGLE_PARENT}"
    single_parents = Table(
        "single_parents",
        "Parents isolés",
        [
            Row("Parents isolés", p[single], q[single]),
            Row(
                "Part des personnes accompagnées",
                _share(p[single], p["total"]),
                _share(q[single], q["total"]),
                "%",
            ),
        ],
    )
    benefit = Table(
        "benefit",
        "Par ressources principales",
        _distribution("benefit", Benefit, p, q),
        chart="bar",
    )
    referrer_labels = [(kind, label) for kind, label in PartnerKind.choices]
    referrer = Table(
        "referrer",
        "Par prescripteur",
        _rows(referrer_labels, now.referrers, before.referrers, keep_zero=False)
        + _rows([(None, PERSONAL_APPROACH)], now.referrers, before.referrers),
        chart="bar",
        note=(
            "Type de la structure qui a orienté la personne vers son parcours "
            "(à défaut, sa dernière orientation reçue)."
        ),
    )
    french = Table(
        "french_level",
        "Par niveau de français",
        _distribution("french", FrenchLevel, p, q),
        chart="bar",
    )
    entries = Table(
        "entries_by_month",
        "Entrées par mois",
        _month_rows(now, before),
        chart="line",
        note="Personnes entrées en parcours dans le mois.",
    )
    household_tables = [household, single_parents]
    others = [headline, sex, age, neighbourhood, qpv]
    names = sorted(
        (name for name in {**now.referrer_partners, **before.referrer_partners} if name),
        key=lambda name: (-now.referrer_partners.get(name, 0), name),
    )
    referrer_partner = Table(
        "referrer_partner",
        "Par structure qui oriente",
        _rows([(name, name) for name in names], now.referrer_partners, before.referrer_partners)
        + _rows([(None, PERSONAL_APPROACH)], now.referrer_partners, before.referrer_partners),
        chart="bar",
    )
    rest = [benefit, referrer, referrer_partner, french, entries]
    tables = (
        household_tables + others + rest
        if rule.household_first
        else others + household_tables + rest
    )
    return Section("people", "Personnes accompagnées", tables)


def _neighbourhood_rows(now, before):
    labels, values = {}, ({}, {})
    for side, figures in enumerate((now, before)):
        for row in figures.neighbourhoods:
            key = row["neighbourhood"]
            if key is None:
                label = "Quartier non renseigné"
            else:
                label = row["neighbourhood__name"] + (
                    " (QPV)" if row["neighbourhood__is_qpv"] else ""
                )
            labels.setdefault(key, label)
            values[side][key] = row["count"]
    # By name, the people without a neighbourhood last.
    order = sorted(labels, key=lambda key: (key is None, labels[key]))
    return _rows([(key, labels[key]) for key in order], *values)


def _month_rows(now, before):
    """One row per month of the period; the previous value is that of the month at the
    same place in the previous period."""

    def months(period):
        year, month = period.start.year, period.start.month
        found = []
        while (year, month) <= (period.end.year, period.end.month):
            found.append(datetime.date(year, month, 1))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found

    def count(figures, month):
        # TruncMonth gives a date on every database, a datetime on none (DateField).
        return figures.entries_by_month.get(month, 0)

    previous_months = months(before.period)
    rows = []
    for index, month in enumerate(months(now.period)):
        previous = count(before, previous_months[index]) if index < len(previous_months) else None
        rows.append(Row(f"{MONTHS[month.month - 1]} {month.year}", count(now, month), previous))
    return rows


def _workshop_rows(row):
    """The figures of one workshop (or of all) as {key: value}."""
    if row is None:
        return {}
    return {
        "planned": row.planned,
        "held": row.held,
        "cancelled": row.cancelled,
        "attendances": row.attendances,
        "participants": row.participants,
        "hours": float(row.hours),
        "rate": _number(row.rate),
    }


WORKSHOP_LABELS = [
    ("planned", "Séances prévues", ""),
    ("held", "Séances tenues", ""),
    ("cancelled", "Séances annulées", ""),
    ("attendances", "Présences (venues sans inscription comprises)", ""),
    ("participants", "Participants distincts", ""),
    ("hours", "Heures de présence", "h"),
    ("rate", "Taux de présence des inscrits", "%"),
]


def _workshop_table(key, title, now, before, note=""):
    now, before = _workshop_rows(now), _workshop_rows(before)
    return Table(
        key,
        title,
        [
            Row(label, now.get(name, 0 if unit != "%" else None), before.get(name), unit)
            for name, label, unit in WORKSHOP_LABELS
        ],
        note=note,
    )


def _workshops_section(now, before, rule):
    note = (
        "Tous les participants des ateliers : le décompte des ateliers ne distingue pas "
        "les financeurs."
        if rule.people
        else ""
    )
    tables = [
        _workshop_table(
            "total", "Tous les ateliers", now.workshops_total, before.workshops_total, note
        )
    ]
    workshops = {row.workshop.pk: row.workshop for row in before.workshops + now.workshops}
    now_rows = {row.workshop.pk: row for row in now.workshops}
    before_rows = {row.workshop.pk: row for row in before.workshops}
    order = sorted(workshops, key=lambda pk: (workshops[pk].name, pk))
    tables.append(
        Table(
            "attendances_by_workshop",
            "Présences par atelier",
            [
                Row(
                    workshops[pk].name,
                    now_rows[pk].attendances if pk in now_rows else 0,
                    before_rows[pk].attendances if pk in before_rows else 0,
                )
                for pk in order
            ],
            chart="bar",
        )
    )
    targets = [pk for pk in order if workshops[pk].yearly_target is not None]
    if targets:
        tables.append(
            Table(
                "targets",
                "Cycles : séances tenues dans l'année, face à l'objectif",
                [
                    Row(
                        f"{workshops[pk].name} (objectif : {workshops[pk].yearly_target} séances)",
                        now_rows[pk].held_in_year if pk in now_rows else 0,
                        before_rows[pk].held_in_year if pk in before_rows else 0,
                    )
                    for pk in targets
                ],
                chart="bar",
                note=(
                    f"Séances tenues du 1er janvier au 31 décembre {now.year} "
                    f"(période précédente : {before.year})."
                ),
            )
        )
    for pk in order:
        tables.append(
            _workshop_table(
                f"workshop_{pk}", workshops[pk].name, now_rows.get(pk), before_rows.get(pk)
            )
        )
    return Section("workshops", "Ateliers", tables)


def _support_section(now, before):
    def average(figures):
        followed = figures.people["total"]
        return round(figures.appointments["held"] / followed, 1) if followed else None

    def relays(figures, name):
        counts = {}
        for row in figures.relays:
            counts[row[name]] = counts.get(row[name], 0) + row["count"]
        return counts

    appointments = Table(
        "appointments",
        "Entretiens individuels",
        [
            Row("Entretiens tenus", now.appointments["held"], before.appointments["held"]),
            Row(
                "Personnes reçues en entretien",
                now.appointments["people"],
                before.appointments["people"],
            ),
            Row("Moyenne par personne accompagnée", average(now), average(before)),
        ],
    )
    total = Table(
        "relays",
        "Relais vers les partenaires",
        [
            Row(
                "Relais envoyés",
                sum(row["count"] for row in now.relays),
                sum(row["count"] for row in before.relays),
            )
        ],
    )
    by_kind = Table(
        "relays_by_kind",
        "Relais par type de structure",
        _rows(
            PartnerKind.choices,
            relays(now, "partner__kind"),
            relays(before, "partner__kind"),
            keep_zero=False,
        ),
        chart="bar",
    )
    by_status = Table(
        "relays_by_status",
        "Relais par suite donnée",
        _rows(
            [(status.value, status.label) for status in RELAY_STATUSES],
            relays(now, "status"),
            relays(before, "status"),
        ),
        chart="bar",
        note="État de chaque relais à ce jour.",
    )
    return Section(
        "support", "Accompagnement individuel", [appointments, total, by_kind, by_status]
    )


def _progress_section(now, before):
    p, q = now.progress, before.progress
    overall = Table(
        "overall",
        "Ensemble des critères",
        [
            Row("Personnes évaluées au moins deux fois", p["compared"], q["compared"]),
            Row(
                "Part dont le niveau moyen a progressé",
                _share(p["improved"], p["compared"]),
                _share(q["improved"], q["compared"]),
                "%",
            ),
            Row(
                "Évolution moyenne du niveau moyen (de 1 à 4)",
                _number(p["change"], 2),
                _number(q["change"], 2),
            ),
        ],
        note=(
            "Première et dernière évaluation de la coordination sur la période, pour les "
            "personnes évaluées au moins deux fois."
        ),
    )
    labels, shares = {}, ({}, {})
    for side, figures in enumerate((now, before)):
        for row in figures.criteria:
            label = row["criterion__label"]
            labels.setdefault(label, label)
            shares[side][label] = _share(row["improved"], row["compared"])
    by_criterion = Table(
        "by_criterion",
        "Part des personnes en progrès, par critère",
        _rows(list(labels.items()), *shares, unit="%", default=None),
        chart="bar",
    )
    return Section("progress", "Progression", [overall, by_criterion])


def _outcome_counts(figures):
    by_outcome, by_family, positive = {}, {}, 0
    for row in figures.outcomes:
        by_outcome[row["exit__outcome"]] = row["count"]
        family = row["exit__outcome__family"] or UNKNOWN
        by_family[family] = by_family.get(family, 0) + row["count"]
        if row["exit__outcome__is_positive"]:
            positive += row["count"]
    return by_outcome, by_family, positive


def _exits_section(now, before):
    (o_now, f_now, pos_now), (o_before, f_before, pos_before) = (
        _outcome_counts(now),
        _outcome_counts(before),
    )
    total_now, total_before = now.pathways["exits"], before.pathways["exits"]
    headline = Table(
        "headline",
        "Sorties",
        [
            Row("Sorties", total_now, total_before),
            Row("Sorties positives", pos_now, pos_before),
            Row(
                "Part des sorties positives",
                _share(pos_now, total_now),
                _share(pos_before, total_before),
                "%",
            ),
        ],
        note="Sorties positives : issues que le centre compte comme positives.",
    )
    outcomes = {}
    for figures in (now, before):
        for row in figures.outcomes:
            if row["exit__outcome"] is not None:
                outcomes[row["exit__outcome"]] = (
                    row["exit__outcome__order"],
                    row["exit__outcome__label"],
                )
    outcome_labels = [
        (key, label)
        for key, (_order, label) in sorted(outcomes.items(), key=lambda item: (item[1], item[0]))
    ] + [(None, "Issue non renseignée")]
    by_outcome = Table(
        "by_outcome",
        "Par issue",
        _rows(outcome_labels[:-1], o_now, o_before)
        + _rows(outcome_labels[-1:], o_now, o_before, keep_zero=False),
        chart="bar",
    )
    by_family = Table(
        "by_family",
        "Par catégorie d'issue",
        _rows(OutcomeFamily.choices, f_now, f_before)
        + _rows([(UNKNOWN, "Issue non renseignée")], f_now, f_before, keep_zero=False),
        chart="bar",
    )
    return Section("exits", "Sorties", [headline, by_outcome, by_family])


def _duration_section(now, before):
    def days(figures):
        duration = figures.pathways["duration"]
        return None if duration is None else round(duration.total_seconds() / 86400, 1)

    def months(figures):
        found = days(figures)
        return None if found is None else round(found / DAYS_PER_MONTH, 1)

    table = Table(
        "duration",
        "Durée des parcours terminés",
        [
            Row("Parcours terminés", now.pathways["exits"], before.pathways["exits"]),
            Row("Durée moyenne (jours)", days(now), days(before)),
            Row("Durée moyenne (mois)", months(now), months(before)),
        ],
        note="De la date d'entrée à la date de sortie.",
    )
    return Section("duration", "Durée des parcours", [table])


def _fse_section(now, before):
    p, q = now.fse_entry, before.fse_entry
    entry = Table(
        "entry",
        "À l'entrée",
        [Row("Participants entrés", p["participants"], q["participants"])]
        + _rows(_choice_labels("sex", Sex), p, q)
        + _rows([(f"sex_{UNKNOWN}", f"Sexe : {NOT_FILLED.lower()}")], p, q, keep_zero=False)
        + _rows(
            [(f"employment_{key}", label) for key, (label, _) in EMPLOYMENT_STATUSES.items()],
            p,
            q,
        )
        + _rows(
            [(f"employment_{UNKNOWN}", "Situation d'emploi non renseignée")],
            p,
            q,
            keep_zero=False,
        )
        + _rows([(f"age_{key}", label) for key, label, *_ in FSE_AGE_BANDS], p, q)
        + _rows([(f"age_{UNKNOWN}", "Âge non renseigné")], p, q, keep_zero=False)
        + _rows(
            [
                ("single_parent", "Parents isolés"),
                ("qpv", "Résidant en QPV"),
                ("aah", "Allocataires de l'AAH"),
                ("disability", "Handicap reconnu"),
            ],
            p,
            q,
        )
        + _rows([(key, label) for key, (label, _levels) in ISCED.items()], p, q)
        + _rows([(f"isced_{UNKNOWN}", "Niveau de diplôme non renseigné")], p, q, keep_zero=False),
        note=(
            "Une ligne par entrée en parcours sur la période ; âge à l'entrée ; situation "
            "d'emploi déduite des ressources principales ; niveau d'études en groupes CITE."
        ),
    )
    (_o, f_now, pos_now), (_p, f_before, pos_before) = (
        _outcome_counts(now),
        _outcome_counts(before),
    )
    exit_table = Table(
        "exit",
        "À la sortie",
        [Row("Participants sortis", now.pathways["exits"], before.pathways["exits"])]
        + _rows(OutcomeFamily.choices, f_now, f_before)
        + _rows([(UNKNOWN, "Issue non renseignée")], f_now, f_before, keep_zero=False)
        + [Row("Sorties positives", pos_now, pos_before)],
        chart="",
        note="Parcours terminés sur la période, par catégorie d'issue.",
    )
    return Section("fse", "Indicateurs FSE+", [entry, exit_table])


# The FSE+ participant list


# Every section a report may hold, in order (a narrative is kept per section).
SECTION_KEYS = ("people", "workshops", "support", "progress", "exits", "duration", "fse")


def pseudonym(centre, person_id):
    """A stable participant code that the funder can follow from year to year but that
    leads back to nobody without the installation's secret key (not the database id,
    which appears in Parcours' own addresses)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"fse:{centre.pk}:{person_id}".encode(), hashlib.sha256
    ).hexdigest()
    return f"P-{digest[:12].upper()}"


def fse_participants(*, centre, programme, start, end):
    """One dict per participant of the FSE+ export: a participant is one pathway of the
    programme open during the period (someone who entered twice is two participants
    with the same id). The exit is given only when it falls on or before `end`. Codes
    are the enums' values: `sex` (people.enums.Sex), `benefit` (Benefit), `employment`
    (EMPLOYMENT_STATUSES), `age_band` (FSE_AGE_BANDS), `exit_family` (OutcomeFamily).
    One `.values()` query, whatever the number of participants."""
    period = Period(start, end)
    scope = Scope(centre, programme, FseRule)
    age_bands = [When(_fse_age_band_q(band), then=Value(band[0])) for band in FSE_AGE_BANDS]
    employment = [
        When(person__benefit__in=incomes, then=Value(key))
        for key, (_label, incomes) in EMPLOYMENT_STATUSES.items()
    ]
    rows = (
        scope.pathways()
        .filter(period.open_pathways())
        .annotate(age=_age_on("started_on", "person__birth_date"))
        .annotate(
            age_band=Case(*age_bands, default=Value("")),
            employment=Case(*employment, default=Value("")),
        )
        .order_by("started_on", "person_id", "pk")
        .values(
            "person_id",
            "person__sex",
            "age",
            "age_band",
            "person__household",
            "person__benefit",
            "employment",
            "person__neighbourhood__is_qpv",
            "started_on",
            "ended_on",
            "exit__outcome__label",
            "exit__outcome__family",
            "person__education_level",
            "person__disability_recognised",
        )
    )
    participants = []
    for row in rows:
        exited = row["ended_on"] is not None and row["ended_on"] <= end
        participants.append(
            {
                "id": pseudonym(centre, row["person_id"]),
                "person_id": row["person_id"],
                "sex": row["person__sex"],
                "age_at_entry": row["age"],
                "age_band": row["age_band"],
                "single_parent": row["person__household"] == Household.SINGLE_PARENT,
                "benefit": row["person__benefit"],
                "employment": row["employment"],
                "qpv": row["person__neighbourhood__is_qpv"],
                "education": row["person__education_level"],
                "disability": row["person__disability_recognised"],
                "entered_on": row["started_on"],
                "exited_on": row["ended_on"] if exited else None,
                "exit_outcome": (row["exit__outcome__label"] or "") if exited else "",
                "exit_family": (row["exit__outcome__family"] or "") if exited else "",
            }
        )
    return participants
