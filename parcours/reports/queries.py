"""The figures of the annual activity report (bilan d'activité) of a programme, for
one period, as the database gives them: typed dataclasses that `layout.py` lays out as
sections and tables.

Every figure is an aggregate computed by the database (counts, sums and averages over
`values()` groups); Python only adds the grouped counts up, and pairs each person's
first and latest assessment for the progress figures (see `_progress_figures`). The
number of queries is fixed: it grows with neither the number of people nor that of
pathways, sessions, appointments or assessments.

What each figure counts, for a period [start, end], both days included. Only the
centre's pathways of the programme count, and only the people the funder counts (see
`funders.FUNDER_RULES`):

- people followed: `people_followed`;
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
  none;
- relays: outgoing referrals sent in the period (`received_on`) for the people
  followed, by kind of partner and by their status today;
- progress: for each person with at least two coordinator assessments in the period,
  their first against their latest. Per criterion (criteria with the same label are
  the same, whatever the grid version): how many of these people were compared and how
  many rose. Overall: how many whose average level over all criteria rose, and the
  average change of that average level;
- exit outcomes: the pathways ended in the period by outcome;
- duration: the average time from entry to exit (`ended_on - started_on`) of the
  pathways ended in the period.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

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

from parcours.pathways.enums import AppointmentStatus, AssessmentBy
from parcours.pathways.models import Appointment, Assessment, Pathway, Score
from parcours.people.enums import Benefit, Direction, FrenchLevel, Household, Sex
from parcours.people.models import Person, Referral
from parcours.workshops.enums import SessionStatus
from parcours.workshops.models import Attendance
from parcours.workshops.stats import MARK_FIGURES, FigureRow, workshop_figures

from .funders import FunderRule

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


def people_followed(period, *, people, pathways):
    """The people followed in `period`: those of `people` with at least one of
    `pathways` open at some point of the period (started on or before its last day, not
    ended before its first), each person once however many pathways they had.

    The one definition of the centre's report (its people and pathways narrowed to a
    programme and a funder), the federation's figures (every pathway) and the bench."""
    open_pathways = pathways.filter(period.open_pathways(), person=OuterRef("pk"))
    return people.filter(Exists(open_pathways)).order_by()


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
        """The people followed in the period (`people_followed`), as the funder counts
        them, on the pathways of the programme."""
        people = Person.objects.filter(centre=self.centre).filter(self.rule.people_q())
        return people_followed(period, people=people, pathways=self.pathways())


# Ages


@dataclass(frozen=True)
class AgeBand:
    key: str
    label: str
    lowest: int | None  # the lowest age in the band
    beyond: int | None  # the age no longer in it


AGE_BANDS = [
    AgeBand("under_26", "Moins de 26 ans", None, 26),
    AgeBand("26_44", "26 à 44 ans", 26, 45),
    AgeBand("45_54", "45 à 54 ans", 45, 55),
    AgeBand("55_plus", "55 ans et plus", 55, None),
]


def born_before(day, years):
    """The latest birth date of someone who is `years` old on `day`."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February: the birthday falls on 28 February that year
        return day.replace(year=day.year - years, day=28)


def _birth_date_in_band(band, day):
    """Condition on Person: in the age band on `day`."""
    condition = Q(birth_date__isnull=False)
    if band.lowest is not None:
        condition &= Q(birth_date__lte=born_before(day, band.lowest))
    if band.beyond is not None:
        condition &= Q(birth_date__gt=born_before(day, band.beyond))
    return condition


def age_on(day, birth):
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


def age_in_band(band, age="age"):
    """Condition on an `age` annotation (see `age_on`): in the age band."""
    condition = Q(**{f"{age}__isnull": False})
    if band.lowest is not None:
        condition &= Q(**{f"{age}__gte": band.lowest})
    if band.beyond is not None:
        condition &= Q(**{f"{age}__lt": band.beyond})
    return condition


# Distributions


@dataclass(frozen=True)
class Distribution:
    """Counts of rows by the value of one field, and of the rows where it is empty."""

    counts: dict
    unknown: int = 0

    def count(self, value):
        return self.counts.get(value, 0)


def distribution_counts(name, conditions, unknown):
    """The conditional counts of a distribution, to pass to `aggregate()`: one per
    {value: condition} of `conditions`, one for the `unknown` condition.
    `distribution_read` reads them back from the aggregate's result; `name` keeps the
    counts of several distributions of one query apart."""
    counts = {f"{name}_{value}": Count("pk", filter=q) for value, q in conditions.items()}
    counts[f"{name}_"] = Count("pk", filter=unknown)
    return counts


def distribution_read(found, name, values):
    """The Distribution of `values` that `distribution_counts(name, …)` counted."""
    return Distribution(
        counts={value: found[f"{name}_{value}"] for value in values},
        unknown=found[f"{name}_"],
    )


def choice_counts(name, lookup, choices):
    """`distribution_counts` of the field `lookup` by each of `choices`, a field left
    empty being unknown."""
    conditions = {value: Q(**{lookup: value}) for value in choices.values}
    return distribution_counts(name, conditions, Q(**{lookup: ""}))


# The figures of one period


@dataclass(frozen=True)
class PeopleFigures:
    """The people followed, and their distributions as their files read today."""

    total: int
    sex: Distribution
    age: Distribution  # by AgeBand.key, on the period's last day
    qpv: Distribution  # True: in a priority neighbourhood; unknown: no neighbourhood
    household: Distribution
    benefit: Distribution
    french: Distribution


@dataclass(frozen=True)
class NeighbourhoodCount:
    neighbourhood: int | None
    name: str | None
    is_qpv: bool | None
    count: int


@dataclass(frozen=True)
class PathwayFigures:
    entries: int  # people, each once
    exits: int  # pathways
    duration: datetime.timedelta | None  # the average length of the pathways ended


@dataclass(frozen=True)
class WorkshopsFigures:
    rows: list[FigureRow]
    total: FigureRow
    year: int  # the calendar year of the yearly targets


@dataclass(frozen=True)
class AppointmentFigures:
    held: int
    people: int


@dataclass(frozen=True)
class RelayCount:
    kind: str | None  # the partner's kind
    status: str
    count: int


@dataclass
class CriterionProgress:
    label: str
    compared: int  # people with a score for it in both assessments
    improved: int
    order: int


@dataclass(frozen=True)
class ProgressFigures:
    compared: int  # people assessed at least twice
    improved: int  # those whose average level rose
    change: Fraction | None  # the average change of the average level
    criteria: list[CriterionProgress]


@dataclass(frozen=True)
class OutcomeCount:
    outcome: int | None
    label: str | None
    family: str | None
    is_positive: bool | None
    order: int | None
    count: int


@dataclass(frozen=True)
class Figures:
    """The raw figures of one period."""

    period: Period
    people: PeopleFigures
    neighbourhoods: list[NeighbourhoodCount]
    referrers: dict  # {partner kind or None: people}
    referrer_partners: dict  # {partner name or None: people}
    entries_by_month: dict  # {first day of the month: people}
    pathways: PathwayFigures
    workshops: WorkshopsFigures
    appointments: AppointmentFigures
    relays: list[RelayCount]
    progress: ProgressFigures
    outcomes: list[OutcomeCount]


def gather(scope, period):
    """Every figure of one period, in a fixed number of queries."""
    people = scope.followed(period)
    people_figures, neighbourhoods = _people_figures(people, period), _neighbourhoods(people)
    referrers, referrer_partners = _referrers(scope, period, people)
    entries_by_month, pathways = _pathway_figures(scope, period)
    return Figures(
        period=period,
        people=people_figures,
        neighbourhoods=neighbourhoods,
        referrers=referrers,
        referrer_partners=referrer_partners,
        entries_by_month=entries_by_month,
        pathways=pathways,
        workshops=_workshop_figures(scope, period),
        appointments=_appointments(scope, period, people),
        relays=_relays(scope, period, people),
        progress=_progress_figures(scope, period),
        outcomes=_outcomes(scope, period),
    )


def _people_figures(people, period):
    ages = {band.key: _birth_date_in_band(band, period.end) for band in AGE_BANDS}
    qpv = {
        True: Q(neighbourhood__is_qpv=True),
        False: Q(neighbourhood__is_qpv=False),
    }
    found = people.aggregate(
        total=Count("pk"),
        **choice_counts("sex", "sex", Sex),
        **distribution_counts("age", ages, Q(birth_date__isnull=True)),
        **distribution_counts("qpv", qpv, Q(neighbourhood__isnull=True)),
        **choice_counts("household", "household", Household),
        **choice_counts("benefit", "benefit", Benefit),
        **choice_counts("french", "french_level", FrenchLevel),
    )
    return PeopleFigures(
        total=found["total"],
        sex=distribution_read(found, "sex", Sex.values),
        age=distribution_read(found, "age", ages),
        qpv=distribution_read(found, "qpv", qpv),
        household=distribution_read(found, "household", Household.values),
        benefit=distribution_read(found, "benefit", Benefit.values),
        french=distribution_read(found, "french", FrenchLevel.values),
    )


def _neighbourhoods(people):
    rows = (
        people.values("neighbourhood", "neighbourhood__name", "neighbourhood__is_qpv")
        .annotate(count=Count("pk"))
        .order_by("neighbourhood__name", "neighbourhood")
    )
    return [
        NeighbourhoodCount(
            neighbourhood=row["neighbourhood"],
            name=row["neighbourhood__name"],
            is_qpv=row["neighbourhood__is_qpv"],
            count=row["count"],
        )
        for row in rows
    ]


def _referrers(scope, period, people):
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
    return dict(referrers), dict(referrer_partners)


def _pathway_figures(scope, period):
    pathways = scope.pathways()
    entries_by_month = {
        row["month"]: row["count"]
        for row in pathways.filter(started_on__range=period.days)
        .annotate(month=TruncMonth("started_on"))
        .values("month")
        .annotate(count=Count("person", distinct=True))
        .order_by()
    }
    ended = Q(ended_on__range=period.days)
    found = pathways.aggregate(
        entries=Count("person", distinct=True, filter=Q(started_on__range=period.days)),
        exits=Count("pk", filter=ended),
        duration=Avg(F("ended_on") - F("started_on"), filter=ended),
    )
    return entries_by_month, PathwayFigures(**found)


def _workshop_figures(scope, period):
    """The workshops of the programme and those of no programme, from `workshop_figures`;
    the total is its own unless another programme's workshops had to be left out."""
    found = workshop_figures(scope.centre, period.start, period.end)
    rows = [row for row in found.rows if row.workshop.programme_id in (None, scope.programme.pk)]
    if len(rows) == len(found.rows):
        return WorkshopsFigures(rows=rows, total=found.total, year=found.year)
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

    def added(figure):
        return sum(figure(row) or 0 for row in rows)

    total = FigureRow(
        participants=participants,
        planned=added(lambda row: row.planned),
        held=added(lambda row: row.held),
        cancelled=added(lambda row: row.cancelled),
        attendances=added(lambda row: row.attendances),
        present_minutes=added(lambda row: row.present_minutes),
        expected_marks=added(lambda row: row.expected_marks),
        present_expected_marks=added(lambda row: row.present_expected_marks),
    )
    return WorkshopsFigures(rows=rows, total=total, year=found.year)


def _appointments(scope, period, people):
    found = (
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
    return AppointmentFigures(**found)


def _relays(scope, period, people):
    rows = (
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
    return [RelayCount(row["partner__kind"], row["status"], row["count"]) for row in rows]


def _progress_figures(scope, period):
    """Each person's first and latest coordinator assessment of the period, compared.
    The database selects the period's assessments and their scores (two queries); the
    pairing is done here, on a few rows per person: in SQL it took correlated
    subqueries per score, the slowest part of the report (bench, federation size)."""
    assessments = (
        Assessment.objects.filter(
            pathway__centre=scope.centre,
            pathway__programme=scope.programme,
            by=AssessmentBy.COORDINATOR,
            assessed_on__range=period.days,
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
            row = criteria.setdefault(label, CriterionProgress(label, 0, 0, order))
            row.order = min(row.order, order)
            if label in first_values:
                row.compared += 1
                row.improved += value > first_values[label]
        averages = [_average(value for _, value, _ in scores[pk]) for pk in (first, latest)]
        if None not in averages:
            changes.append(averages[1] - averages[0])
            improved += averages[1] > averages[0]
    return ProgressFigures(
        compared=len(pairs),
        improved=improved,
        change=_average(changes),
        criteria=sorted(criteria.values(), key=lambda row: (row.order, row.label)),
    )


def _average(values):
    """The exact mean of `values` (None when empty), as SQL's AVG of integers gives it."""
    values = list(values)
    return Fraction(sum(values), len(values)) if values else None


def _outcomes(scope, period):
    rows = (
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
    return [
        OutcomeCount(
            outcome=row["exit__outcome"],
            label=row["exit__outcome__label"],
            family=row["exit__outcome__family"],
            is_positive=row["exit__outcome__is_positive"],
            order=row["exit__outcome__order"],
            count=row["count"],
        )
        for row in rows
    ]
