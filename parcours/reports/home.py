"""The director's dashboard: this year's figures so far, never a person's file."""

import datetime

from django.utils import timezone

from . import figures

# The headline tables of the report, by (section, table) key.
HEADLINES = [("people", "headline"), ("workshops", "total"), ("exits", "headline")]


def year_to_date(centre):
    """One compact report per programme of the centre, from 1 January to today."""
    today = timezone.localdate()
    start = datetime.date(today.year, 1, 1)
    dashboards = []
    for programme in centre.programmes.order_by("name"):
        report = figures.compute(centre=centre, programme=programme, start=start, end=today)
        tables = [
            table
            for section in report.sections
            for table in section.tables
            if (section.key, table.key) in HEADLINES
        ]
        dashboards.append({"programme": programme, "report": report, "tables": tables})
    return dashboards
