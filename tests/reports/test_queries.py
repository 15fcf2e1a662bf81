"""The report's database layer: who counts as followed in a period, one definition that
the centre's report, the federation's figures and the bench's SQL floor all apply."""

import dataclasses
import datetime

from bench import floor
from parcours.pathways.models import Pathway
from parcours.people.models import Person
from parcours.reports import layout
from parcours.reports.exports import FSE_COLUMNS
from parcours.reports.federation import federation_figures
from parcours.reports.fse import Participant
from parcours.reports.queries import Period, people_followed

from ..pathways.factories import PathwayFactory
from ..people.factories import PersonFactory

D = datetime.date
YEAR = Period(D(2025, 1, 1), D(2025, 12, 31))


def test_it_follows_people_whose_pathway_is_open_on_any_day_of_the_period(centre, programme):
    # (first day, last day or None) of each person's pathway, around 2025.
    pathways = {
        "ended the day before": (D(2024, 3, 1), D(2024, 12, 31)),
        "ended on the first day": (D(2024, 3, 1), D(2025, 1, 1)),
        "still open": (D(2023, 5, 1), None),
        "started on the last day": (D(2025, 12, 31), None),
        "started the day after": (D(2026, 1, 1), None),
        "two pathways in the period": (D(2025, 2, 1), D(2025, 3, 1)),
    }
    people = {}
    for name, (started_on, ended_on) in pathways.items():
        people[name] = PersonFactory(centre=centre, last_name=name)
        PathwayFactory(
            centre=centre,
            person=people[name],
            programme=programme,
            started_on=started_on,
            ended_on=ended_on,
        )
    twice = people["two pathways in the period"]
    PathwayFactory(centre=centre, person=twice, programme=programme, started_on=D(2025, 6, 1))
    expected = {"ended on the first day", "still open", "started on the last day"}
    expected.add("two pathways in the period")

    followed = people_followed(YEAR, people=Person.objects.all(), pathways=Pathway.objects)
    report = layout.compute(centre=centre, programme=programme, start=YEAR.start, end=YEAR.end)
    [federation] = federation_figures(centres=[centre], start=YEAR.start, end=YEAR.end)
    floors = floor.centre_floor(centre=centre, programme=programme, start=YEAR.start, end=YEAR.end)
    federation_floor = floor.federation_floor(centres=[centre], start=YEAR.start, end=YEAR.end)

    assert {person.last_name for person in followed} == expected
    assert report.section("people").tables[0].rows[0].value == len(expected)
    assert federation["followed"] == len(expected)
    assert floors["now"]["total:unknown"] == len(expected)
    assert federation_floor[centre.pk]["followed"] == len(expected)


def test_it_names_only_fields_of_a_participant_in_the_fse_spreadsheet():
    fields = {field.name for field in dataclasses.fields(Participant)}

    assert {name for name, _header, _labels in FSE_COLUMNS} <= fields
