"""The director's dashboard: this year's figures so far, never a person's file."""

import datetime

from django.utils import timezone

from parcours.centres.models import Programme

from . import layout

# The headline tables of the report, by (section, table) key.
HEADLINES = [("people", "headline"), ("workshops", "total"), ("exits", "headline")]


def year_to_date(centres):
    """One compact report per programme of each centre, from 1 January to today: a
    federation's director or admin sees every centre they hold that role in."""
    today = timezone.localdate()
    start = datetime.date(today.year, 1, 1)
    dashboards = []
    programmes = Programme.objects.filter(centre__in=centres).select_related("centre")
    for programme in programmes.order_by("centre__name", "name"):
        centre = programme.centre
        report = layout.compute(centre=centre, programme=programme, start=start, end=today)
        tables = [
            table
            for section in report.sections
            for table in section.tables
            if (section.key, table.key) in HEADLINES
        ]
        dashboards.append({"programme": programme, "report": report, "tables": tables})
    return dashboards
