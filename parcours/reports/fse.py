"""FSE+ (European Social Fund): the participant indicators at entry, counted for the
report's FSE+ section, and the participant file, one row per participant, that the
coordinator exports for the funder."""

import datetime
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Count, Q, Value, When

from parcours.people.enums import ISCED, Benefit, Household, Sex

from .funders import FseRule
from .queries import (
    AgeBand,
    Distribution,
    Period,
    Scope,
    age_in_band,
    age_on,
    choice_counts,
    distribution_counts,
    distribution_read,
)

FSE_AGE_BANDS = [
    AgeBand("under_25", "Moins de 25 ans", None, 25),
    AgeBand("25_54", "25 à 54 ans", 25, 55),
    AgeBand("55_plus", "55 ans et plus", 55, None),
]


@dataclass(frozen=True)
class EmploymentStatus:
    """An FSE+ employment status at entry, read from the main income (the file has no
    employment status of its own)."""

    key: str
    label: str
    incomes: list[Benefit]


EMPLOYMENT_STATUSES = [
    EmploymentStatus("employed", "En emploi (revenus d'activité)", [Benefit.SALARY]),
    EmploymentStatus(
        "unemployed",
        "Demandeur d'emploi (ARE, ASS, fin de droits)",
        [Benefit.ARE, Benefit.ASS, Benefit.END_OF_RIGHTS],
    ),
    EmploymentStatus(
        "other",
        "Sans emploi, hors allocation chômage (RSA, AAH, autre, aucune ressource)",
        [Benefit.RSA, Benefit.AAH, Benefit.OTHER, Benefit.NONE],
    ),
]


# The indicators at entry


@dataclass(frozen=True)
class FseEntryFigures:
    """The pathways started in the period (someone who entered twice counts twice), as
    their people's files read today; the age is the age on the day of entry."""

    participants: int
    sex: Distribution
    employment: Distribution  # by EmploymentStatus.key
    age: Distribution  # by AgeBand.key of FSE_AGE_BANDS
    single_parent: int
    qpv: int
    aah: int
    disability: int
    isced: Distribution  # by key of people.enums.ISCED


def fse_entry_figures(scope, period):
    """The FSE+ indicators at entry of one period, in one query."""
    entering = (
        scope.pathways()
        .filter(started_on__range=period.days)
        .annotate(age=age_on("started_on", "person__birth_date"))
    )
    employment = {
        status.key: Q(person__benefit__in=status.incomes) for status in EMPLOYMENT_STATUSES
    }
    ages = {band.key: age_in_band(band) for band in FSE_AGE_BANDS}
    isced = {key: Q(person__education_level__in=levels) for key, (_label, levels) in ISCED.items()}
    found = entering.aggregate(
        participants=Count("pk"),
        **choice_counts("sex", "person__sex", Sex),
        **distribution_counts("employment", employment, Q(person__benefit="")),
        **distribution_counts("age", ages, Q(person__birth_date__isnull=True)),
        single_parent=Count("pk", filter=Q(person__household=Household.SINGLE_PARENT)),
        qpv=Count("pk", filter=Q(person__neighbourhood__is_qpv=True)),
        aah=Count("pk", filter=Q(person__benefit=Benefit.AAH)),
        disability=Count("pk", filter=Q(person__disability_recognised=True)),
        **distribution_counts("isced", isced, Q(person__education_level="")),
    )
    return FseEntryFigures(
        participants=found["participants"],
        sex=distribution_read(found, "sex", Sex.values),
        employment=distribution_read(found, "employment", employment),
        age=distribution_read(found, "age", ages),
        single_parent=found["single_parent"],
        qpv=found["qpv"],
        aah=found["aah"],
        disability=found["disability"],
        isced=distribution_read(found, "isced", isced),
    )


# The participant file


def pseudonym(centre, person_id):
    """A stable participant code that the funder can follow from year to year but that
    leads back to nobody without the installation's secret key (not the database id,
    which appears in Parcours' own addresses)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"fse:{centre.pk}:{person_id}".encode(), hashlib.sha256
    ).hexdigest()
    return f"P-{digest[:12].upper()}"


@dataclass(frozen=True)
class Participant:
    """One row of the FSE+ participant file. Codes are the enums' values: `sex`
    (people.enums.Sex), `benefit` (Benefit), `employment` (EmploymentStatus.key),
    `age_band` (AgeBand.key of FSE_AGE_BANDS), `education` (EducationLevel),
    `exit_family` (OutcomeFamily); "" when unknown."""

    id: str  # pseudonym()
    person_id: int  # for the audit of the export, never written in the file
    sex: str
    age_at_entry: int | None
    age_band: str
    single_parent: bool
    benefit: str
    employment: str
    qpv: bool | None
    education: str
    disability: bool
    entered_on: datetime.date
    exited_on: datetime.date | None
    exit_outcome: str
    exit_family: str


def fse_participants(*, centre, programme, start, end):
    """The participants of the FSE+ export: a participant is one pathway of the
    programme open during the period (someone who entered twice is two participants
    with the same id). The exit is given only when it falls on or before `end`. One
    `.values()` query, whatever the number of participants."""
    period = Period(start, end)
    scope = Scope(centre, programme, FseRule)
    age_bands = [When(age_in_band(band), then=Value(band.key)) for band in FSE_AGE_BANDS]
    employment = [
        When(person__benefit__in=status.incomes, then=Value(status.key))
        for status in EMPLOYMENT_STATUSES
    ]
    rows = (
        scope.pathways()
        .filter(period.open_pathways())
        .annotate(age=age_on("started_on", "person__birth_date"))
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
            Participant(
                id=pseudonym(centre, row["person_id"]),
                person_id=row["person_id"],
                sex=row["person__sex"],
                age_at_entry=row["age"],
                age_band=row["age_band"],
                single_parent=row["person__household"] == Household.SINGLE_PARENT,
                benefit=row["person__benefit"],
                employment=row["employment"],
                qpv=row["person__neighbourhood__is_qpv"],
                education=row["person__education_level"],
                disability=row["person__disability_recognised"],
                entered_on=row["started_on"],
                exited_on=row["ended_on"] if exited else None,
                exit_outcome=(row["exit__outcome__label"] or "") if exited else "",
                exit_family=(row["exit__outcome__family"] or "") if exited else "",
            )
        )
    return participants
