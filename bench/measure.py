"""One measured operation, run in a child process of the bench (`python -m
bench.measure <name> [json arguments]`) so that its peak memory is its own: the last
line printed is a JSON object with the results and `peak_mb`, the child's peak
resident memory (Django loaded included).
"""

import datetime
import io
import json
import os
import resource
import statistics
import sys
import time

from django.utils import timezone

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Min  # noqa: E402
from django.http import HttpRequest  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_otp import login as otp_login  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from bench import floor  # noqa: E402
from parcours.accounts.models import User  # noqa: E402
from parcours.centres.enums import Role  # noqa: E402
from parcours.centres.models import Centre, Membership, Programme  # noqa: E402
from parcours.pathways.models import Pathway  # noqa: E402
from parcours.people.models import Person  # noqa: E402
from parcours.reports import layout  # noqa: E402
from parcours.reports.federation import federation_figures  # noqa: E402
from parcours.workshops.enums import SessionStatus  # noqa: E402
from parcours.workshops.models import Session  # noqa: E402

BENCH_USER = "bench-coordination@bench.example"


def peak_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def timed_pair(app, floor_query, repeat):
    """Median wall times in ms of the app and of its floor, called in turn (after one
    warm-up call each) so that a busy moment of the machine weighs on both alike; and
    their results."""
    app_result, floor_result = app(), floor_query()
    app_times, floor_times = [], []
    for _ in range(repeat):
        for function, times in ((app, app_times), (floor_query, floor_times)):
            began = time.perf_counter()
            function()
            times.append((time.perf_counter() - began) * 1000)
    return statistics.median(app_times), statistics.median(floor_times), app_result, floor_result


def report_year():
    """The last complete calendar year: the generated data ends today."""
    return timezone.localdate().year - 1


def first_centre():
    return Centre.objects.order_by("pk").first()


def busiest_programme(centre):
    return (
        Programme.objects.filter(centre=centre)
        .annotate(n=Count("pathways"))
        .order_by("-n", "pk")
        .first()
    )


def centre_report(repeat=7):
    centre = first_centre()
    programme = busiest_programme(centre)
    year = report_year()
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    app_ms, floor_ms, _, floor_figures = timed_pair(
        lambda: layout.compute(centre=centre, programme=programme, start=start, end=end),
        lambda: floor.centre_floor(centre=centre, programme=programme, start=start, end=end),
        repeat,
    )
    app_figures = floor.app_figures(centre=centre, programme=programme, start=start, end=end)
    return {
        "year": year,
        "app_ms": round(app_ms, 1),
        "floor_ms": round(floor_ms, 1),
        "ratio": round(app_ms / floor_ms, 2),
        "equal": app_figures == floor_figures,
        "difference": _difference(app_figures, floor_figures),
        "people_followed": app_figures["now"].get("total:unknown", 0),
    }


def _difference(app, floor_figures):
    """The first few figures that differ, to say why the floor is not equal."""
    differences = []
    for period in app:
        for key in sorted(set(app[period]) | set(floor_figures[period])):
            if app[period].get(key) != floor_figures[period].get(key):
                mine, theirs = app[period].get(key), floor_figures[period].get(key)
                differences.append(f"{period} {key}: app {mine} sql {theirs}")
    return differences[:10]


def federation_report(repeat=3):
    centres = list(Centre.objects.all())
    year = report_year()
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    app_ms, floor_ms, rows, floor_rows = timed_pair(
        lambda: federation_figures(centres=centres, start=start, end=end),
        lambda: floor.federation_floor(centres=centres, start=start, end=end),
        repeat,
    )
    app_rows = floor.federation_app_figures(rows)
    return {
        "centres": len(centres),
        "app_ms": round(app_ms, 1),
        "floor_ms": round(floor_ms, 1),
        "ratio": round(app_ms / floor_ms, 2),
        "equal": app_rows == floor_rows,
    }


def bench_coordinator(centre):
    user, _ = User.objects.get_or_create(email=BENCH_USER)
    Membership.objects.get_or_create(user=user, centre=centre, defaults={"role": Role.COORDINATOR})
    return user


def verified_client(user):
    """A test client logged in as `user` at the end of the whole login, second factor
    included (coordinators must have one): a confirmed TOTP device recorded on the
    session by django-otp's own `login`, as the code step does."""
    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    request = HttpRequest()
    request.session = client.session
    request.user = user
    otp_login(request, device)
    request.session.save()
    return client


def pages():
    """The measured pages of the first centre, their query counts, and one session
    cookie per client thread of the load test."""
    centre = first_centre()
    user = bench_coordinator(centre)
    longest = (
        Pathway.objects.filter(centre=centre)
        .values("person")
        .annotate(first=Min("started_on"))
        .order_by("first", "person")
        .first()
    )
    person = Person.objects.get(pk=longest["person"])
    session = (
        Session.objects.filter(centre=centre, status=SessionStatus.HELD)
        .annotate(marks=Count("attendances"))
        .order_by("-marks", "-date")
        .first()
    )
    urls = {
        "person_list": "/personnes/",
        "person_file": f"/personnes/{person.pk}/",
        "session_attendance": f"/seances/{session.pk}/",
        "coordinator_home": "/",
    }
    client = verified_client(user)
    counts, statuses = {}, {}
    for name, url in urls.items():
        client.get(url)  # the first request fills per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts[name] = len(queries)
        statuses[name] = response.status_code
    cookies = []
    for _ in range(4):
        cookies.append(verified_client(user).cookies["sessionid"].value)
    return {
        "urls": urls,
        "queries": counts,
        "statuses": statuses,
        "person_history_years": round((timezone.localdate() - longest["first"]).days / 365.25, 1),
        "cookies": cookies,
    }


def import_people(path):
    from parcours.people.imports import people_import

    number = Centre.objects.filter(slug__startswith="bench-import").count() + 1
    centre = Centre.objects.create(name=f"Import {number}", slug=f"bench-import-{number}")
    with open(path, "rb") as file:
        data = io.BytesIO(file.read())
    began = time.perf_counter()
    result = people_import(file=data, filename=os.path.basename(path), centre=centre)
    elapsed = time.perf_counter() - began
    return {
        "seconds": round(elapsed, 2),
        "created": result.created,
        "errors": result.errors[:3],
    }


def report_export(file_format="xlsx"):
    """The report export view of the first centre's busiest programme, for its last
    year, through the test client (the whole view: figures, narratives, file)."""
    centre = first_centre()
    programme = busiest_programme(centre)
    user = bench_coordinator(centre)
    year = report_year()
    client = verified_client(user)
    began = time.perf_counter()
    response = client.get(
        f"/rapports/{programme.pk}/export/",
        {"format": file_format, "du": f"{year}-01-01", "au": f"{year}-12-31"},
    )
    content = b"".join(response) if response.streaming else response.content
    return {
        "status": response.status_code,
        "bytes": len(content),
        "seconds": round(time.perf_counter() - began, 2),
    }


def make_import_file(path, rows=10_000):
    """A spreadsheet of `rows` fictional people in the import template's columns."""
    from openpyxl import Workbook

    from parcours.people.enums import Benefit, FrenchLevel, Household, Sex
    from parcours.people.imports import HEADERS

    first_names = ["Zoé", "Karim", "Léa", "Moussa", "Inès", "Paul", "Aïcha", "Louis"]
    sexes, households = Sex.labels, Household.labels
    benefits, levels = Benefit.labels, FrenchLevel.labels
    # Written as a spreadsheet program saves it, sheet dimension and shared strings
    # included: openpyxl's write-only mode leaves the dimension out, and openpyxl's own
    # reader then parses the whole sheet once more just to find its size.
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Personnes"
    sheet.append(HEADERS)
    for number in range(rows):
        sheet.append(
            [
                f"BENCH{number:05d}",
                first_names[number % len(first_names)],
                datetime.date(1950 + number % 50, 1 + number % 12, 1 + number % 28),
                sexes[number % len(sexes)],
                f"03 53 01 {number % 100:02d} {number // 100 % 100:02d}",
                f"personne{number}@example.org",
                f"{number % 200 + 1} rue de l'Exemple",
                "57100",
                "Thionville",
                "",
                households[number % len(households)],
                number % 4,
                "",
                benefits[number % len(benefits)],
                "",
                levels[number % len(levels)],
                "",
                "",
                "",
            ]
        )
    workbook.save(path)
    return {"rows": rows}


MEASURES = {
    "make_import_file": make_import_file,
    "centre_report": centre_report,
    "federation_report": federation_report,
    "pages": pages,
    "import_people": import_people,
    "report_export": report_export,
}


if __name__ == "__main__":
    name, arguments = sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    result = MEASURES[name](**arguments)
    result["peak_mb"] = peak_mb()
    print(json.dumps(result, default=str))
