"""The floor of the report benchmarks: one hand-written SQL statement per report that
returns the same figures as the app, so that "app time ÷ floor time" tells how much
the ORM-built report costs above the best the database can do.

`centre_floor` covers, for both periods at once, every figure `reports.queries` gathers
for the "all" funder: people followed and their distributions, neighbourhoods,
referrers, entries by month, entries, exits, duration, workshop rows and total,
appointments, relays, progress by criterion and overall, exit outcomes. (The FSE+
section of the FSE funder and the yearly workshop targets are not in it.)

`federation_floor` returns what `reports.federation.federation_figures` returns.

Each function returns the figures in the same normalised shape as `app_figures` /
`federation_app_figures`, so that the harness and tests/bench check they are equal.
"""

import datetime

from django.db import connection

from parcours.centres.models import Programme
from parcours.partners.models import Partner
from parcours.pathways.enums import AppointmentStatus
from parcours.pathways.models import (
    Appointment,
    Assessment,
    Criterion,
    ExitOutcome,
    Pathway,
    PathwayExit,
    Score,
)
from parcours.people.models import Neighbourhood, Person, Referral
from parcours.reports.funders import FunderRule
from parcours.reports.queries import Period, Scope, born_before, gather
from parcours.reports.shape import previous_period
from parcours.workshops.models import Attendance, Session, Workshop

TABLES = {
    "person": Person,
    "pathway": Pathway,
    "referral": Referral,
    "partner": Partner,
    "neighbourhood": Neighbourhood,
    "session": Session,
    "attendance": Attendance,
    "workshop": Workshop,
    "appointment": Appointment,
    "pathway_exit": PathwayExit,
    "outcome": ExitOutcome,
    "programme": Programme,
    "assessment": Assessment,
    "score": Score,
    "criterion": Criterion,
}
UNKNOWN = "unknown"
# `reports.queries.people_followed` in SQL: a pathway `pw` open at some point of the
# period from `start` to `end`, both days included.
OPEN_PATHWAY = "pw.started_on <= {end} AND (pw.ended_on IS NULL OR pw.ended_on >= {start})"


def _sql(template):
    """The template with its {table} names filled in and the few expressions each
    database writes its own way."""
    postgres = connection.vendor == "postgresql"
    names = {key: model._meta.db_table for key, model in TABLES.items()}
    names["date"] = "CAST(%s AS date)" if postgres else "%s"
    names["stamp"] = "CAST(%s AS timestamptz)" if postgres else "%s"
    names["days"] = (
        "(pw.ended_on - pw.started_on)"
        if postgres
        else "(julianday(pw.ended_on) - julianday(pw.started_on))"
    )
    names["month"] = (
        "to_char(pw.started_on, 'YYYY-MM')" if postgres else "strftime('%%Y-%%m', pw.started_on)"
    )
    minutes = (
        "(EXTRACT(hour FROM s.{0}) * 60 + EXTRACT(minute FROM s.{0}))"
        if postgres
        else "(CAST(strftime('%%H', s.{0}) AS integer) * 60"
        " + CAST(strftime('%%M', s.{0}) AS integer))"
    )
    names["length"] = f"({minutes.format('ends_at')} - {minutes.format('starts_at')})"
    # The first row of a UNION gives the columns' types: a bare NULL would be text.
    names["null"] = "CAST(NULL AS bigint)"
    return template.format(**names)


def _periods(start, end):
    previous_start, previous_end = previous_period(start, end)
    return [("now", Period(start, end)), ("before", Period(previous_start, previous_end))]


def _period_params(start, end):
    """The `periods` CTE's rows: first and last day, the two bounds of the
    appointments' moments and the birth dates bounding each age band."""
    params = []
    for _key, period in _periods(start, end):
        first, after = period.moments
        params += [
            period.start,
            period.end,
            connection.ops.adapt_datetimefield_value(first),
            connection.ops.adapt_datetimefield_value(after),
            born_before(period.end, 26),
            born_before(period.end, 45),
            born_before(period.end, 55),
        ]
    return params


PERIODS = """
periods(p, p_start, p_end, m_start, m_end, b26, b45, b55) AS (
    VALUES ('now', {date}, {date}, {stamp}, {stamp}, {date}, {date}, {date}),
           ('before', {date}, {date}, {stamp}, {stamp}, {date}, {date}, {date})
)"""

# Table names come from the models, values are all parameters.
CENTRE_FLOOR = (
    "WITH"  # noqa: S608
    + PERIODS
    + """,
pw AS NOT MATERIALIZED (
    SELECT * FROM {pathway} WHERE centre_id = %s AND programme_id = %s
),
followed AS (
    SELECT pr.p, pr.p_start, pr.p_end, pr.m_start, pr.m_end, pe.id, pe.sex, pe.household,
           pe.benefit, pe.french_level, pe.neighbourhood_id,
           CASE WHEN pe.birth_date IS NULL THEN 'unknown'
                WHEN pe.birth_date > pr.b26 THEN 'under_26'
                WHEN pe.birth_date > pr.b45 THEN '26_44'
                WHEN pe.birth_date > pr.b55 THEN '45_54'
                ELSE '55_plus' END AS age
    FROM periods pr JOIN {person} pe ON pe.centre_id = %s
    WHERE EXISTS (SELECT 1 FROM pw WHERE pw.person_id = pe.id AND """
    + OPEN_PATHWAY.format(start="pr.p_start", end="pr.p_end")
    + """)
),
referral_candidate AS (
    SELECT f.p, f.id, pw.referral_id, 1 AS priority, pw.started_on AS day, pw.id AS tie
    FROM followed f JOIN pw ON pw.person_id = f.id AND pw.referral_id IS NOT NULL AND """
    + OPEN_PATHWAY.format(start="f.p_start", end="f.p_end")
    + """
    UNION ALL
    SELECT f.p, f.id, r.id, 2, r.received_on, r.id
    FROM followed f JOIN {referral} r ON r.person_id = f.id AND r.direction = 'in'
        AND r.received_on <= f.p_end
),
chosen_referral AS MATERIALIZED (
    SELECT p, id, referral_id FROM (
        SELECT p, id, referral_id, ROW_NUMBER() OVER (
            PARTITION BY p, id ORDER BY priority, day DESC, tie DESC) AS n
        FROM referral_candidate) ranked
    WHERE n = 1
),
referrer AS (
    SELECT f.p, pa.kind, pa.name
    FROM followed f
    LEFT JOIN chosen_referral c ON c.p = f.p AND c.id = f.id
    LEFT JOIN {referral} r ON r.id = c.referral_id
    LEFT JOIN {partner} pa ON pa.id = r.partner_id
),
workshop AS (
    SELECT id FROM {workshop}
    WHERE centre_id = %s AND (programme_id IS NULL OR programme_id = %s)
),
session AS (
    SELECT pr.p, s.* FROM periods pr JOIN {session} s ON s.centre_id = %s
        AND s.date BETWEEN pr.p_start AND pr.p_end AND s.workshop_id IN (SELECT id FROM workshop)
),
mark AS (
    SELECT s.p, s.workshop_id, a.person_id, a.presence = 'present' AS present, a.walk_in,
           {length} AS minutes
    FROM session s JOIN {attendance} a ON a.session_id = s.id
    WHERE s.status <> 'cancelled'
),
assessed AS (
    SELECT pr.p, pw.person_id, a.id,
           ROW_NUMBER() OVER (PARTITION BY pr.p, pw.person_id
               ORDER BY a.assessed_on, a.id) AS from_first,
           ROW_NUMBER() OVER (PARTITION BY pr.p, pw.person_id
               ORDER BY a.assessed_on DESC, a.id DESC) AS from_latest
    FROM periods pr JOIN {assessment} a ON a.by = 'coordinator'
        AND a.assessed_on BETWEEN pr.p_start AND pr.p_end
    JOIN pw ON pw.id = a.pathway_id
),
compared AS MATERIALIZED (
    SELECT f.p, f.id AS first_id, l.id AS latest_id
    FROM assessed f JOIN assessed l ON l.p = f.p AND l.person_id = f.person_id
        AND l.from_latest = 1
    WHERE f.from_first = 1 AND f.id <> l.id
),
average AS (
    SELECT assessment_id, AVG(value) AS level FROM {score}
    WHERE assessment_id IN (SELECT first_id FROM compared UNION SELECT latest_id FROM compared)
    GROUP BY assessment_id
),
progress AS (
    SELECT c.p, fa.level AS first_level, la.level AS latest_level FROM compared c
    LEFT JOIN average fa ON fa.assessment_id = c.first_id
    LEFT JOIN average la ON la.assessment_id = c.latest_id
),
criterion_change AS (
    SELECT c.p, lc.label, lc."order", ls.value AS latest_value, fs.value AS first_value
    FROM compared c
    JOIN {score} ls ON ls.assessment_id = c.latest_id
    JOIN {criterion} lc ON lc.id = ls.criterion_id
    LEFT JOIN ({score} fs JOIN {criterion} fc ON fc.id = fs.criterion_id)
        ON fs.assessment_id = c.first_id AND fc.label = lc.label
)
SELECT p, 'total', '', COUNT(*) FROM followed GROUP BY p
UNION ALL SELECT p, 'sex', sex, COUNT(*) FROM followed GROUP BY p, sex
UNION ALL SELECT p, 'household', household, COUNT(*) FROM followed GROUP BY p, household
UNION ALL SELECT p, 'benefit', benefit, COUNT(*) FROM followed GROUP BY p, benefit
UNION ALL SELECT p, 'french', french_level, COUNT(*) FROM followed GROUP BY p, french_level
UNION ALL SELECT p, 'age', age, COUNT(*) FROM followed GROUP BY p, age
UNION ALL SELECT f.p, 'qpv', CASE WHEN n.id IS NULL THEN 'unknown'
        WHEN n.is_qpv THEN 'yes' ELSE 'no' END, COUNT(*)
    FROM followed f LEFT JOIN {neighbourhood} n ON n.id = f.neighbourhood_id
    GROUP BY f.p, CASE WHEN n.id IS NULL THEN 'unknown' WHEN n.is_qpv THEN 'yes' ELSE 'no' END
UNION ALL SELECT p, 'neighbourhood', CAST(neighbourhood_id AS text), COUNT(*)
    FROM followed GROUP BY p, neighbourhood_id
UNION ALL SELECT p, 'referrer', kind, COUNT(*) FROM referrer GROUP BY p, kind
UNION ALL SELECT p, 'referrer_partner', name, COUNT(*) FROM referrer GROUP BY p, name
UNION ALL SELECT pr.p, 'entries_by_month', {month}, COUNT(DISTINCT pw.person_id)
    FROM periods pr JOIN pw ON pw.started_on BETWEEN pr.p_start AND pr.p_end
    GROUP BY pr.p, {month}
UNION ALL SELECT pr.p, 'entries', '', COUNT(DISTINCT pw.person_id)
    FROM periods pr JOIN pw ON pw.started_on BETWEEN pr.p_start AND pr.p_end GROUP BY pr.p
UNION ALL SELECT pr.p, 'exits', '', COUNT(*)
    FROM periods pr JOIN pw ON pw.ended_on BETWEEN pr.p_start AND pr.p_end GROUP BY pr.p
UNION ALL SELECT pr.p, 'duration', '', AVG({days})
    FROM periods pr JOIN pw ON pw.ended_on BETWEEN pr.p_start AND pr.p_end GROUP BY pr.p
UNION ALL SELECT pr.p, 'outcome', CAST(x.outcome_id AS text), COUNT(*)
    FROM periods pr JOIN pw ON pw.ended_on BETWEEN pr.p_start AND pr.p_end
    LEFT JOIN {pathway_exit} x ON x.pathway_id = pw.id
    GROUP BY pr.p, x.outcome_id
UNION ALL SELECT p, 'planned', CAST(workshop_id AS text), COUNT(*)
    FROM session GROUP BY p, workshop_id
UNION ALL SELECT p, 'held', CAST(workshop_id AS text), COUNT(*)
    FROM session WHERE status = 'held' GROUP BY p, workshop_id
UNION ALL SELECT p, 'cancelled', CAST(workshop_id AS text), COUNT(*)
    FROM session WHERE status = 'cancelled' GROUP BY p, workshop_id
UNION ALL SELECT p, 'attendances', CAST(workshop_id AS text), COUNT(*)
    FROM mark WHERE present GROUP BY p, workshop_id
UNION ALL SELECT p, 'participants', CAST(workshop_id AS text), COUNT(DISTINCT person_id)
    FROM mark WHERE present GROUP BY p, workshop_id
UNION ALL SELECT p, 'participants', 'total', COUNT(DISTINCT person_id)
    FROM mark WHERE present GROUP BY p
UNION ALL SELECT p, 'present_minutes', CAST(workshop_id AS text), SUM(minutes)
    FROM mark WHERE present GROUP BY p, workshop_id
UNION ALL SELECT p, 'expected_marks', CAST(workshop_id AS text), COUNT(*)
    FROM mark WHERE NOT walk_in GROUP BY p, workshop_id
UNION ALL SELECT p, 'present_expected_marks', CAST(workshop_id AS text), COUNT(*)
    FROM mark WHERE present AND NOT walk_in GROUP BY p, workshop_id
UNION ALL SELECT pr.p, 'appointments', '', COUNT(*)
    FROM periods pr JOIN {appointment} ap ON ap.centre_id = %s AND ap.status = %s
        AND ap.starts_at >= pr.m_start AND ap.starts_at < pr.m_end
    LEFT JOIN pw ON pw.id = ap.pathway_id
    WHERE (ap.pathway_id IS NULL OR pw.id IS NOT NULL)
        AND EXISTS (SELECT 1 FROM followed f WHERE f.p = pr.p AND f.id = ap.person_id)
    GROUP BY pr.p
UNION ALL SELECT pr.p, 'appointment_people', '', COUNT(DISTINCT ap.person_id)
    FROM periods pr JOIN {appointment} ap ON ap.centre_id = %s AND ap.status = %s
        AND ap.starts_at >= pr.m_start AND ap.starts_at < pr.m_end
    LEFT JOIN pw ON pw.id = ap.pathway_id
    WHERE (ap.pathway_id IS NULL OR pw.id IS NOT NULL)
        AND EXISTS (SELECT 1 FROM followed f WHERE f.p = pr.p AND f.id = ap.person_id)
    GROUP BY pr.p
UNION ALL SELECT pr.p, 'relay', pa.kind || '/' || r.status, COUNT(*)
    FROM periods pr JOIN {referral} r ON r.centre_id = %s AND r.direction = 'out'
        AND r.received_on BETWEEN pr.p_start AND pr.p_end
    LEFT JOIN {partner} pa ON pa.id = r.partner_id
    WHERE EXISTS (SELECT 1 FROM followed f WHERE f.p = pr.p AND f.id = r.person_id)
    GROUP BY pr.p, pa.kind, r.status
UNION ALL SELECT p, 'progress_compared', '', COUNT(*) FROM progress GROUP BY p
UNION ALL SELECT p, 'progress_improved', '', COUNT(*) FROM progress
    WHERE latest_level > first_level GROUP BY p
UNION ALL SELECT p, 'progress_change', '', AVG(latest_level - first_level) FROM progress
    GROUP BY p
UNION ALL SELECT p, 'criterion_compared', label, COUNT(first_value) FROM criterion_change
    GROUP BY p, label
UNION ALL SELECT p, 'criterion_improved', label, COUNT(*) FROM criterion_change
    WHERE latest_value > first_value GROUP BY p, label
UNION ALL SELECT p, 'criterion_order', label, MIN("order") FROM criterion_change
    GROUP BY p, label
"""
)


def centre_floor(*, centre, programme, start, end):
    """The figures of the centre's report of `programme`, by the one SQL statement."""
    held = AppointmentStatus.HELD
    params = _period_params(start, end) + [
        centre.pk,
        programme.pk,
        centre.pk,
        centre.pk,
        programme.pk,
        centre.pk,
        centre.pk,
        held,
        centre.pk,
        held,
        centre.pk,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_sql(CENTRE_FLOOR), params)
        rows = cursor.fetchall()
    return _normalise_floor(rows)


def _key(value):
    if value is None:
        return "None"
    if value == "":
        return UNKNOWN
    return str(value)


def _normalise_floor(rows):
    found = {"now": {}, "before": {}}
    for period, figure, key, value in rows:
        if figure in ("duration", "progress_change"):
            value = None if value is None else round(float(value), 6)
        else:
            value = int(value or 0)
        if value in (0, None):
            continue
        found[period][f"{figure}:{_key(key)}"] = value
    return found


def app_figures(*, centre, programme, start, end):
    """The app's raw figures (`queries.gather`) of both periods in the floor's shape."""
    scope = Scope(centre, programme, FunderRule)
    return {key: _normalise_app(gather(scope, period)) for key, period in _periods(start, end)}


def _normalise_app(found):
    values = {}

    def put(figure, key, value):
        if value not in (0, None):
            values[f"{figure}:{_key(key)}"] = value

    def put_distribution(figure, distribution, key=str):
        for value, count in distribution.counts.items():
            put(figure, key(value), count)
        put(figure, "", distribution.unknown)

    people = found.people
    put("total", "", people.total)
    put_distribution("sex", people.sex)
    put_distribution("household", people.household)
    put_distribution("benefit", people.benefit)
    put_distribution("french", people.french)
    put_distribution("age", people.age)
    put_distribution("qpv", people.qpv, key=lambda in_qpv: "yes" if in_qpv else "no")
    for row in found.neighbourhoods:
        put("neighbourhood", row.neighbourhood, row.count)
    for kind, count in found.referrers.items():
        put("referrer", kind, count)
    for name, count in found.referrer_partners.items():
        put("referrer_partner", name, count)
    for month, count in found.entries_by_month.items():
        put("entries_by_month", f"{month:%Y-%m}", count)
    put("entries", "", found.pathways.entries)
    put("exits", "", found.pathways.exits)
    duration = found.pathways.duration
    if isinstance(duration, datetime.timedelta):
        duration = duration.total_seconds() / 86400
    put("duration", "", None if duration is None else round(float(duration), 6))
    for row in found.outcomes:
        put("outcome", row.outcome, row.count)
    for row in found.workshops.rows:
        pk = row.workshop.pk
        put("planned", pk, row.planned)
        put("held", pk, row.held)
        put("cancelled", pk, row.cancelled)
        put("attendances", pk, row.attendances)
        put("participants", pk, row.participants)
        put("present_minutes", pk, row.present_minutes)
        put("expected_marks", pk, row.expected_marks)
        put("present_expected_marks", pk, row.present_expected_marks)
    put("participants", "total", found.workshops.total.participants)
    put("appointments", "", found.appointments.held)
    put("appointment_people", "", found.appointments.people)
    for row in found.relays:
        put("relay", f"{row.kind}/{row.status}", row.count)
    progress = found.progress
    put("progress_compared", "", progress.compared)
    put("progress_improved", "", progress.improved)
    change = progress.change
    put("progress_change", "", None if change is None else round(float(change), 6))
    for row in progress.criteria:
        put("criterion_compared", row.label, row.compared)
        put("criterion_improved", row.label, row.improved)
        put("criterion_order", row.label, row.order)
    return values


# The federation


# One row per centre and table, its figures in their own columns (NULL elsewhere): one
# pass over each table, as the app's queries do, in a single statement.
FEDERATION_FLOOR = (
    "SELECT pe.centre_id, COUNT(*), {null}, {null}, {null}, {null}, {null}, {null}, {null}"  # noqa: S608
    + """
FROM {person} pe
WHERE pe.centre_id IN ({centres}) AND EXISTS (
    SELECT 1 FROM {pathway} pw WHERE pw.person_id = pe.id AND """
    + OPEN_PATHWAY.format(start="{date}", end="{date}")
    + """)
GROUP BY pe.centre_id
UNION ALL
SELECT pw.centre_id, NULL,
    COUNT(DISTINCT pw.person_id) FILTER (WHERE pw.started_on BETWEEN {date} AND {date}),
    COUNT(*) FILTER (WHERE pw.ended_on BETWEEN {date} AND {date}),
    COUNT(*) FILTER (WHERE pw.ended_on BETWEEN {date} AND {date} AND o.is_positive),
    NULL, NULL, NULL, NULL
FROM {pathway} pw
LEFT JOIN {pathway_exit} x ON x.pathway_id = pw.id
LEFT JOIN {outcome} o ON o.id = x.outcome_id
WHERE pw.centre_id IN ({centres}) AND (pw.started_on BETWEEN {date} AND {date}
    OR pw.ended_on BETWEEN {date} AND {date})
GROUP BY pw.centre_id
UNION ALL
SELECT s.centre_id, NULL, NULL, NULL, NULL, COUNT(*), NULL, NULL, NULL
FROM {session} s
WHERE s.centre_id IN ({centres}) AND s.date BETWEEN {date} AND {date} AND s.status = 'held'
GROUP BY s.centre_id
UNION ALL
SELECT s.centre_id, NULL, NULL, NULL, NULL, NULL, COUNT(*), COUNT(DISTINCT a.person_id), NULL
FROM {session} s JOIN {attendance} a ON a.session_id = s.id AND a.presence = 'present'
WHERE s.centre_id IN ({centres}) AND s.date BETWEEN {date} AND {date}
    AND s.status <> 'cancelled'
GROUP BY s.centre_id
UNION ALL
SELECT ap.centre_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, COUNT(*)
FROM {appointment} ap
WHERE ap.centre_id IN ({centres}) AND ap.status = %s
    AND ap.starts_at >= {stamp} AND ap.starts_at < {stamp}
GROUP BY ap.centre_id
"""
)
COLUMNS = ("followed", "entries", "exits", "positive_exits", "held", "attendances")
COLUMNS += ("participants", "appointments")


def federation_floor(*, centres, start, end):
    """What `federation_figures` returns, by the one SQL statement: {centre id:
    {figure: value}} without the zeros."""
    ids = [centre.pk for centre in centres]
    template = FEDERATION_FLOOR.replace("{centres}", ", ".join(["%s"] * len(ids)))
    first, after = Period(start, end).moments
    days = [start, end]
    params = (
        ids
        + [end, start]
        + days * 3
        + ids
        + days * 2
        + ids
        + days
        + ids
        + days
        + ids
        + [AppointmentStatus.HELD]
        + [
            connection.ops.adapt_datetimefield_value(first),
            connection.ops.adapt_datetimefield_value(after),
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(_sql(template), params)
        rows = cursor.fetchall()
    found = {}
    for centre_id, *values in rows:
        for figure, value in zip(COLUMNS, values, strict=True):
            if value:
                found.setdefault(centre_id, {})[figure] = int(value)
    return found


def federation_app_figures(rows):
    """`federation_figures`' rows in the floor's shape."""
    found = {}
    for row in rows:
        values = {key: value for key, value in row.items() if key != "centre" and value}
        if values:
            found[row["centre"].pk] = values
    return found
