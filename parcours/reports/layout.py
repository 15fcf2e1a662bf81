"""The activity report laid out: the figures of a period (`queries.gather`) and of the
period just before it (`shape.previous_period`), side by side in the sections, tables
and rows of `shape.Report`, which the page and every export render.

Shares are percentages rounded to one decimal, None when there is nothing to divide;
the average number of appointments divides them by the people followed; positive exits
are those whose outcome is marked positive by the centre; months of duration are days
/ 30.4375 (365.25 / 12).
"""

import datetime

from django.utils.formats import date_format

from parcours.partners.enums import PartnerKind
from parcours.pathways.enums import OutcomeFamily
from parcours.people.enums import ISCED, Benefit, FrenchLevel, Household, ReferralStatus, Sex

from .enums import Funder
from .fse import EMPLOYMENT_STATUSES, FSE_AGE_BANDS, fse_entry_figures
from .funders import FUNDER_RULES
from .models import Narrative
from .queries import AGE_BANDS, Period, Scope, gather
from .shape import Report, Row, Section, Table, previous_period

# Every section a report may hold, in order (a narrative is kept per section).
SECTION_KEYS = ("people", "workshops", "support", "progress", "exits", "duration", "fse")

NOT_FILLED = "Non renseigné"
NO_OUTCOME = "Issue non renseignée"
PERSONAL_APPROACH = "Démarche personnelle"
RELAY_STATUSES = [
    ReferralStatus.SENT,
    ReferralStatus.ACCEPTED,
    ReferralStatus.SEEN,
    ReferralStatus.REFUSED,
    ReferralStatus.NO_ANSWER,
]
DAYS_PER_MONTH = 365.25 / 12


def compute(*, centre, programme, start, end, funder=""):
    """The report of `programme` of `centre` from `start` to `end` (both included),
    beside the previous period, as `funder` counts (see funders.FUNDER_RULES)."""
    rule = FUNDER_RULES[Funder(funder)]
    scope = Scope(centre, programme, rule)
    previous_start, previous_end = previous_period(start, end)
    periods = [Period(start, end), Period(previous_start, previous_end)]
    now, before = (gather(scope, period) for period in periods)
    sections = [
        _people_section(now, before, rule),
        _workshops_section(now, before, rule),
        _support_section(now, before),
        _progress_section(now, before),
        _exits_section(now, before),
        _duration_section(now, before),
    ]
    if rule.fse:
        entries = [fse_entry_figures(scope, period) for period in periods]
        sections.append(_fse_section(now, before, *entries))
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


def _share(part, whole):
    if not whole:
        return None
    return round(100 * part / whole, 1)


def _number(value, digits=1):
    return None if value is None else round(float(value), digits)


def _rows(labels, now, before, unit="", default=0, keep_zero=True):
    """Rows of `labels` ([(key, label)]) from the two periods' {key: value}; without
    `keep_zero`, a row empty in both periods is left out."""
    return [
        Row(label, now.get(key, default), before.get(key, default), unit)
        for key, label in labels
        if keep_zero or now.get(key) or before.get(key)
    ]


def _distribution(labels, now, before, unknown=NOT_FILLED):
    """A row per (value, label) of the two periods' Distributions, and one for the rows
    where the field is empty if any is."""
    return _rows(labels, now.counts, before.counts) + _rows(
        [(None, unknown)], {None: now.unknown}, {None: before.unknown}, keep_zero=False
    )


def _band_labels(bands):
    return [(band.key, band.label) for band in bands]


def _people_section(now, before, rule):
    p, q = now.people, before.people
    end = now.period.end
    headline = Table(
        "headline",
        "Effectifs",
        [
            Row("Personnes accompagnées", p.total, q.total),
            Row("Nouvelles entrées", now.pathways.entries, before.pathways.entries),
            Row("Sorties", now.pathways.exits, before.pathways.exits),
        ],
        note=(
            "Personnes ayant un parcours en cours sur la période, comptées une fois ; "
            "entrées : personnes entrées sur la période ; sorties : parcours terminés."
        ),
    )
    sex = Table("sex", "Par sexe", _distribution(Sex.choices, p.sex, q.sex), chart="bar")
    age = Table(
        "age",
        "Par âge",
        _distribution(_band_labels(AGE_BANDS), p.age, q.age, "Âge non renseigné"),
        chart="bar",
        note=f"Âge au {end:%d/%m/%Y}.",
    )
    neighbourhood = Table(
        "neighbourhood", "Par quartier", _neighbourhood_rows(now, before), chart="bar"
    )
    qpv = Table(
        "qpv",
        "Quartiers prioritaires (QPV)",
        _distribution(
            [(True, "En QPV"), (False, "Hors QPV")], p.qpv, q.qpv, "Quartier non renseigné"
        ),
        chart="bar",
    )
    single = Household.SINGLE_PARENT
    household_labels = [
        (single, single.label),
        *((value, label) for value, label in Household.choices if value != single),
    ]
    household = Table(
        "household",
        "Par situation familiale",
        _distribution(household_labels, p.household, q.household),
        chart="bar",
    )
    single_parents = Table(
        "single_parents",
        "Parents isolés",
        [
            Row("Parents isolés", p.household.count(single), q.household.count(single)),
            Row(
                "Part des personnes accompagnées",
                _share(p.household.count(single), p.total),
                _share(q.household.count(single), q.total),
                "%",
            ),
        ],
    )
    benefit = Table(
        "benefit",
        "Par ressources principales",
        _distribution(Benefit.choices, p.benefit, q.benefit),
        chart="bar",
    )
    referrer = Table(
        "referrer",
        "Par prescripteur",
        _rows(PartnerKind.choices, now.referrers, before.referrers, keep_zero=False)
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
        _distribution(FrenchLevel.choices, p.french, q.french),
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
            key = row.neighbourhood
            if key is None:
                label = "Quartier non renseigné"
            else:
                label = row.name + (" (QPV)" if row.is_qpv else "")
            labels.setdefault(key, label)
            values[side][key] = row.count
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
        # Django's French month names: "janvier 2025".
        rows.append(Row(date_format(month, "F Y"), count(now, month), previous))
    return rows


# A workshop table's rows: (label, unit, the figure of a workshops.stats.FigureRow).
WORKSHOP_ROWS = [
    ("Séances prévues", "", lambda row: row.planned),
    ("Séances tenues", "", lambda row: row.held),
    ("Séances annulées", "", lambda row: row.cancelled),
    ("Présences (venues sans inscription comprises)", "", lambda row: row.attendances),
    ("Participants distincts", "", lambda row: row.participants),
    ("Heures de présence", "h", lambda row: float(row.hours)),
    ("Taux de présence des inscrits", "%", lambda row: _number(row.rate)),
]


def _workshop_table(key, title, now, before, note=""):
    """The figures of one workshop (or of all) in both periods. A workshop missing from
    a period reads zero (and no rate) in the period itself, and nothing the period
    before."""

    def figure(row, read, missing):
        return missing if row is None else read(row)

    return Table(
        key,
        title,
        [
            Row(
                label,
                figure(now, read, 0 if unit != "%" else None),
                figure(before, read, None),
                unit,
            )
            for label, unit, read in WORKSHOP_ROWS
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
            "total", "Tous les ateliers", now.workshops.total, before.workshops.total, note
        )
    ]
    both = before.workshops.rows + now.workshops.rows
    workshops = {row.workshop.pk: row.workshop for row in both}
    now_rows = {row.workshop.pk: row for row in now.workshops.rows}
    before_rows = {row.workshop.pk: row for row in before.workshops.rows}
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
                    f"Séances tenues du 1er janvier au 31 décembre {now.workshops.year} "
                    f"(période précédente : {before.workshops.year})."
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
        followed = figures.people.total
        return round(figures.appointments.held / followed, 1) if followed else None

    def relays(figures, by):
        counts = {}
        for row in figures.relays:
            counts[by(row)] = counts.get(by(row), 0) + row.count
        return counts

    appointments = Table(
        "appointments",
        "Entretiens individuels",
        [
            Row("Entretiens tenus", now.appointments.held, before.appointments.held),
            Row(
                "Personnes reçues en entretien",
                now.appointments.people,
                before.appointments.people,
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
                sum(row.count for row in now.relays),
                sum(row.count for row in before.relays),
            )
        ],
    )
    by_kind = Table(
        "relays_by_kind",
        "Relais par type de structure",
        _rows(
            PartnerKind.choices,
            relays(now, lambda row: row.kind),
            relays(before, lambda row: row.kind),
            keep_zero=False,
        ),
        chart="bar",
    )
    by_status = Table(
        "relays_by_status",
        "Relais par suite donnée",
        _rows(
            [(status.value, status.label) for status in RELAY_STATUSES],
            relays(now, lambda row: row.status),
            relays(before, lambda row: row.status),
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
            Row("Personnes évaluées au moins deux fois", p.compared, q.compared),
            Row(
                "Part dont le niveau moyen a progressé",
                _share(p.improved, p.compared),
                _share(q.improved, q.compared),
                "%",
            ),
            Row(
                "Évolution moyenne du niveau moyen (de 1 à 4)",
                _number(p.change, 2),
                _number(q.change, 2),
            ),
        ],
        note=(
            "Première et dernière évaluation de la coordination sur la période, pour les "
            "personnes évaluées au moins deux fois."
        ),
    )
    labels, shares = {}, ({}, {})
    for side, progress in enumerate((p, q)):
        for row in progress.criteria:
            labels.setdefault(row.label, row.label)
            shares[side][row.label] = _share(row.improved, row.compared)
    by_criterion = Table(
        "by_criterion",
        "Part des personnes en progrès, par critère",
        _rows(list(labels.items()), *shares, unit="%", default=None),
        chart="bar",
    )
    return Section("progress", "Progression", [overall, by_criterion])


def _outcome_counts(figures):
    """{outcome: exits}, {family: exits} and the positive exits of a period; None is
    the key of the exits without an outcome."""
    by_outcome, by_family, positive = {}, {}, 0
    for row in figures.outcomes:
        by_outcome[row.outcome] = row.count
        family = row.family or None
        by_family[family] = by_family.get(family, 0) + row.count
        if row.is_positive:
            positive += row.count
    return by_outcome, by_family, positive


def _by_family(f_now, f_before):
    return _rows(OutcomeFamily.choices, f_now, f_before) + _rows(
        [(None, NO_OUTCOME)], f_now, f_before, keep_zero=False
    )


def _exits_section(now, before):
    (o_now, f_now, pos_now), (o_before, f_before, pos_before) = map(_outcome_counts, (now, before))
    total_now, total_before = now.pathways.exits, before.pathways.exits
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
            if row.outcome is not None:
                outcomes[row.outcome] = (row.order, row.label)
    outcome_labels = [
        (key, label)
        for key, (_order, label) in sorted(outcomes.items(), key=lambda item: (item[1], item[0]))
    ]
    by_outcome = Table(
        "by_outcome",
        "Par issue",
        _rows(outcome_labels, o_now, o_before)
        + _rows([(None, NO_OUTCOME)], o_now, o_before, keep_zero=False),
        chart="bar",
    )
    by_family = Table(
        "by_family", "Par catégorie d'issue", _by_family(f_now, f_before), chart="bar"
    )
    return Section("exits", "Sorties", [headline, by_outcome, by_family])


def _duration_section(now, before):
    def days(figures):
        duration = figures.pathways.duration
        return None if duration is None else round(duration.total_seconds() / 86400, 1)

    def months(figures):
        found = days(figures)
        return None if found is None else round(found / DAYS_PER_MONTH, 1)

    table = Table(
        "duration",
        "Durée des parcours terminés",
        [
            Row("Parcours terminés", now.pathways.exits, before.pathways.exits),
            Row("Durée moyenne (jours)", days(now), days(before)),
            Row("Durée moyenne (mois)", months(now), months(before)),
        ],
        note="De la date d'entrée à la date de sortie.",
    )
    return Section("duration", "Durée des parcours", [table])


def _fse_section(now, before, entry_now, entry_before):
    p, q = entry_now, entry_before
    entry = Table(
        "entry",
        "À l'entrée",
        [Row("Participants entrés", p.participants, q.participants)]
        + _distribution(Sex.choices, p.sex, q.sex, f"Sexe : {NOT_FILLED.lower()}")
        + _distribution(
            [(status.key, status.label) for status in EMPLOYMENT_STATUSES],
            p.employment,
            q.employment,
            "Situation d'emploi non renseignée",
        )
        + _distribution(_band_labels(FSE_AGE_BANDS), p.age, q.age, "Âge non renseigné")
        + [
            Row("Parents isolés", p.single_parent, q.single_parent),
            Row("Résidant en QPV", p.qpv, q.qpv),
            Row("Allocataires de l'AAH", p.aah, q.aah),
            Row("Handicap reconnu", p.disability, q.disability),
        ]
        + _distribution(
            [(key, label) for key, (label, _levels) in ISCED.items()],
            p.isced,
            q.isced,
            "Niveau de diplôme non renseigné",
        ),
        note=(
            "Une ligne par entrée en parcours sur la période ; âge à l'entrée ; situation "
            "d'emploi déduite des ressources principales ; niveau d'études en groupes CITE."
        ),
    )
    (_, f_now, pos_now), (_, f_before, pos_before) = map(_outcome_counts, (now, before))
    exit_table = Table(
        "exit",
        "À la sortie",
        [Row("Participants sortis", now.pathways.exits, before.pathways.exits)]
        + _by_family(f_now, f_before)
        + [Row("Sorties positives", pos_now, pos_before)],
        chart="",
        note="Parcours terminés sur la période, par catégorie d'issue.",
    )
    return Section("fse", "Indicateurs FSE+", [entry, exit_table])
