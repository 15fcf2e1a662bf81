"""Planning the 2025–2026 school year of the seed's timetable.

Expected dates come from the official calendars, not from the code: the zone B school
holidays (Toussaint 18 Oct–2 Nov 2025, Noël 20 Dec 2025–4 Jan 2026, hiver 14 Feb–1 Mar
2026, printemps 11–26 Apr 2026, pont de l'Ascension 14–17 May 2026, été from 4 Jul
2026) and the public holidays of Moselle (Good Friday 3 Apr 2026 and 26 Dec on top of
the national ones: 1 Nov, 11 Nov, 25 Dec 2025, 1 Jan, 6 Apr, 1 May, 8 May, 14 May,
25 May 2026).
"""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from parcours.centres.models import Centre
from parcours.workshops import school_holidays
from parcours.workshops.models import ClosurePeriod, SchoolHoliday, Session, Workshop
from parcours.workshops.services import sessions_plan

D = datetime.date
SCHOOL_YEAR = (D(2025, 9, 1), D(2026, 7, 3))


@pytest.fixture
def lierre(db):
    from parcours.centres import demo as centres_demo
    from parcours.workshops import demo as workshops_demo

    # A flushing browser test may have emptied the table the migration fills.
    school_holidays.load(SchoolHoliday)
    centre = centres_demo.load()
    workshops_demo.load_timetable(centre)
    return centre


def dates(centre, name):
    return set(
        Session.objects.filter(
            workshop__centre=centre, workshop__name__startswith=name
        ).values_list("date", flat=True)
    )


@pytest.fixture
def planned(lierre):
    sessions_plan(centre=lierre, start=SCHOOL_YEAR[0], end=SCHOOL_YEAR[1])
    return lierre


def test_sessions_fall_on_the_timetables_weekdays_and_times(planned):
    for session in Session.objects.select_related("workshop", "slot"):
        assert session.date.weekday() == session.slot.weekday
        assert (session.starts_at, session.ends_at) == (
            session.slot.starts_at,
            session.slot.ends_at,
        )
    couture = Session.objects.filter(workshop__name="Couture").first()
    assert couture.date == D(2025, 9, 2)  # the first Tuesday of the school year
    assert (couture.starts_at, couture.ends_at) == (datetime.time(9), datetime.time(11))
    relaxation = Session.objects.filter(workshop__name="Relaxation").first()
    assert (relaxation.starts_at, relaxation.ends_at) == (
        datetime.time(14, 30),
        datetime.time(15, 45),
    )


def test_no_session_falls_on_a_moselle_public_holiday(planned):
    assert D(2026, 4, 3) not in dates(planned, "Cuisine")  # Good Friday, Moselle only
    assert D(2026, 4, 3) not in dates(planned, "Français Langue")
    assert D(2025, 12, 26) not in dates(planned, "Cuisine")  # Saint-Étienne, Moselle only
    assert D(2026, 4, 6) not in dates(planned, "Espace Vie")  # Easter Monday
    assert D(2026, 5, 25) not in dates(planned, "Espace Vie")  # Whit Monday
    assert D(2025, 12, 25) not in dates(planned, "Multimédia")  # Christmas, a Thursday
    assert D(2026, 5, 1) not in dates(planned, "Cuisine")  # Labour Day, a Friday
    assert D(2026, 5, 14) not in dates(planned, "Multimédia")  # Ascension Thursday
    # The day before a public holiday is an ordinary day.
    assert D(2026, 4, 2) in dates(planned, "Multimédia")


def test_workshops_stop_in_zone_b_school_holidays_but_espace_vie(planned):
    for day in [D(2025, 10, 20), D(2025, 12, 22), D(2026, 2, 16), D(2026, 4, 13)]:  # Mondays
        assert day not in dates(planned, "Relaxation"), day
        assert day not in dates(planned, "Permanence Emploi"), day
        assert day in dates(planned, "Espace Vie"), day
    assert D(2025, 10, 21) not in dates(planned, "Couture")  # Toussaint, a Tuesday
    assert D(2026, 2, 24) not in dates(planned, "Couture")  # zone B winter, a Tuesday
    # Zone A's winter holidays are not Thionville's: 10 Feb 2026 is a school day in zone B.
    assert D(2026, 2, 10) in dates(planned, "Couture")
    # Classes resume on 3 Nov 2025 and 2 Mar 2026: workshops resume too.
    assert D(2025, 11, 3) in dates(planned, "Relaxation")
    assert D(2026, 3, 2) in dates(planned, "Relaxation")
    # Friday 15 May 2026, the Ascension bridge: no class, no cooking workshop.
    assert D(2026, 5, 15) not in dates(planned, "Cuisine")


def test_planning_counts(planned):
    # 8 workshops with a timetable; series and outings are planned by hand.
    assert Workshop.objects.filter(centre=planned, slots__isnull=False).distinct().count() == 8
    # 44 Tuesdays from 2 Sep 2025 to 30 Jun 2026, less 8 in school holidays (Toussaint
    # 21 and 28 Oct, Noël 23 and 30 Dec, hiver 17 and 24 Feb, printemps 14 and 21 Apr;
    # the Ascension bridge has none), less Tuesday 11 Nov (Armistice) = 35.
    assert len(dates(planned, "Couture")) == 35


def test_planning_twice_adds_nothing_and_touches_nothing(planned):
    moved = Session.objects.filter(workshop__name="Couture").first()
    moved.date = D(2025, 9, 3)
    moved.edited = True
    moved.save()
    count = Session.objects.count()
    result = sessions_plan(centre=planned, start=SCHOOL_YEAR[0], end=SCHOOL_YEAR[1])
    assert result.created == 0
    assert Session.objects.count() == count
    moved.refresh_from_db()
    assert moved.date == D(2025, 9, 3)


def test_a_closure_of_the_centre_is_skipped(lierre):
    ClosurePeriod.objects.create(
        centre=lierre,
        starts_on=D(2026, 6, 8),
        ends_on=D(2026, 6, 12),
        reason="Formation de l'équipe",
    )
    result = sessions_plan(centre=lierre, start=D(2026, 6, 1), end=D(2026, 6, 19))
    assert not {D(2026, 6, 8), D(2026, 6, 9)} & dates(lierre, "")
    assert any("Formation de l'équipe" in reason for _, _, reason in result.skipped)


def test_the_command_plans_and_says_what_it_did(lierre, capsys):
    plan = ["plan_sessions", "--centre", "le-lierre", "--from", "2025-09-01", "--to", "2025-09-30"]
    call_command(*plan)
    out = capsys.readouterr().out
    assert "séance(s) créée(s)" in out
    assert Session.objects.filter(date__month=9).exists()
    call_command(*plan)
    assert "0 séance(s) créée(s)" in capsys.readouterr().out


def test_the_command_warns_when_the_school_calendar_is_not_known(lierre, capsys):
    call_command(
        "plan_sessions", "--centre", "le-lierre", "--from", "2026-09-01", "--to", "2026-09-30"
    )
    assert "ne sont connues que jusqu'au 31/08/2026" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args,message",
    [
        (["inconnu", "2025-09-01", "2025-09-30"], "aucun centre"),
        (["le-lierre", "2025-09-30", "2025-09-01"], "doit suivre"),
        (["le-lierre", "2025-13-01", "2025-09-01"], "date invalide"),
    ],
)
def test_the_command_explains_bad_input(lierre, args, message):
    from django.core.management.base import CommandError

    centre, start, end = args
    with pytest.raises(CommandError, match=message):
        call_command("plan_sessions", "--centre", centre, "--from", start, "--to", end)
    assert not Session.objects.exists()
    assert Centre.objects.count() == 1


def test_the_planning_page_names_the_school_zone_with_its_capital(client_for, centre):
    page = client_for("coordinator").get(reverse("workshops:plan")).content.decode()
    assert f"les vacances scolaires de la zone {centre.school_zone}." in page
    assert centre.school_zone.isupper()
