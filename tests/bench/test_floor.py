"""The bench's hand-written SQL floor returns exactly the app's figures, so that the
report ratio of `make bench` compares like with like (bench/floor.py); and the bench's
table says PASS or MISS against the issue's targets."""

import datetime

import pytest

from bench import floor
from bench.generator.build import generate
from bench.targets import PAGES, table_rows
from parcours.centres.models import Centre
from parcours.reports.federation import FIGURES, federation_figures

END = datetime.date(2025, 6, 30)
PERIODS = [
    (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),  # a calendar year
    (datetime.date(2024, 7, 1), END),  # twelve months across two years
]


@pytest.fixture
def centres(db):
    generate(centres=2, people_per_centre=25, years=2, seed=5, end=END)
    return list(Centre.objects.order_by("pk"))


def test_the_centre_floor_gives_the_app_figures(centres):
    kinds = set()
    for centre in centres:
        for programme in centre.programmes.all():
            for start, end in PERIODS:
                arguments = {"centre": centre, "programme": programme, "start": start, "end": end}
                app = floor.app_figures(**arguments)

                assert floor.centre_floor(**arguments) == app
                kinds |= {key.split(":")[0] for key in app["now"]}
    # Not only empty reports: every kind of figure was compared.
    assert {"total", "sex", "age", "referrer", "entries", "attendances", "appointments"} <= kinds


def test_the_federation_floor_gives_the_app_figures(centres):
    for start, end in PERIODS:
        rows = federation_figures(centres=centres, start=start, end=end)

        assert floor.federation_floor(centres=centres, start=start, end=end) == (
            floor.federation_app_figures(rows)
        )
        assert [row["centre"] for row in rows] == sorted(centres, key=lambda c: c.name)
        assert all(row[name] for row in rows for name in ("followed", "attendances"))
    assert set(FIGURES) <= set(rows[0])


def test_the_table_says_pass_or_miss_against_each_target():
    report = {"app_ms": 120.0, "floor_ms": 100.0, "ratio": 1.2, "equal": True, "difference": []}
    page = {"median_ms": 40.0, "p95_ms": 150.0, "rps": 20.0, "rps_ratio": 0.1, "failures": 0}
    found = {
        "large_size": "federation",
        "large_build_s": 600,
        "centre_report": {**report, "peak_mb": 80},
        "federation_report": {**report, "app_ms": 6000, "centres": 200, "peak_mb": 90},
        "http": {
            "minimal": {"rps": 200.0},
            "worker_peak_mb": 120,
            **{name: page for name in ("person_list", "person_file")},
            **{name: page for name in ("session_attendance", "coordinator_home")},
        },
        "small_pages": {"queries": dict.fromkeys(PAGES, 10)},
        "large_pages": {"queries": {**dict.fromkeys(PAGES, 10), "person_list": 11}},
        "import": {"seconds": 4.0, "created": 10000, "errors": [], "peak_mb": 150},
        "report_export": {"status": 200, "peak_mb": 100},
    }

    rows = {row["measure"]: row for row in table_rows({"databases": {"postgresql": found}})}

    assert rows["bilan d'un centre, ratio appli/SQL"]["verdict"] == "PASS"
    assert rows["bilan fédération (200 centres), appli (ms)"]["verdict"] == "MISS"
    assert rows["person_list p95 (ms)"]["verdict"] == "MISS"
    assert rows["person_list requêtes small / federation"]["verdict"] == "MISS"
    assert rows["person_file requêtes small / federation"]["verdict"] == "PASS"
    assert rows["import de 10000 lignes (s)"]["verdict"] == "PASS"
