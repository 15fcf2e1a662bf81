"""`make bench`: generate the data, measure, print each figure against its target and
write bench/results.json. See bench/README.md for what is measured and how.

    python -m bench                      # the full run, SQLite and PostgreSQL
    python -m bench --databases sqlite   # one database
    python -m bench --quick              # small data only, short loads: checks the harness
"""

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import pages
from bench.targets import table_rows

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
RESULTS = ROOT / "bench" / "results.json"
PG_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
PG_PREFIX = "parcours_bench"

# generate_data arguments per size. The issue's `federation` size (200 centres × 500
# people × 5 years) is measured on PostgreSQL; SQLite gets a tenth of it so that both
# fit in the 30-minute budget (generating 10 million attendance rows twice does not).
SIZES = {
    "small": ["--size", "small"],
    "federation": ["--size", "federation"],
    "tenth": ["--centres", "20", "--people-per-centre", "500", "--years", "5", "--seed", "7"],
}
LARGE = {"postgresql": "federation", "sqlite": "tenth"}


def say(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def database_url(vendor, size):
    if vendor == "postgresql":
        return f"{PG_SERVER}/{PG_PREFIX}_{size}"
    return f"sqlite:///{DATA / f'{size}.sqlite3'}"


def recreate(vendor, size):
    """An empty database for `size`."""
    if vendor == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DATA / f'{size}.sqlite3'}{suffix}").unlink(missing_ok=True)
        return
    _postgres(f"DROP DATABASE IF EXISTS {PG_PREFIX}_{size} WITH (FORCE)")
    _postgres(f"CREATE DATABASE {PG_PREFIX}_{size}")


def drop(vendor, size):
    if vendor == "postgresql":
        _postgres(f"DROP DATABASE IF EXISTS {PG_PREFIX}_{size} WITH (FORCE)")
    else:
        recreate(vendor, size)


def _postgres(statement, database="postgres"):
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/{database}", autocommit=True) as connection:
        connection.execute(statement)


def vacuum(vendor, size):
    """PostgreSQL's visibility map after the bulk load, as autovacuum would set it
    (index-only scans read it); `generate_data` ends with the statistics already."""
    if vendor == "postgresql":
        _postgres("VACUUM", database=f"{PG_PREFIX}_{size}")


def environment(vendor, size):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url(vendor, size),
        # Persistent connections, as docs/postgresql.md recommends for production.
        "CONN_MAX_AGE": "60",
        "PYTHONPATH": str(ROOT),
    }


def manage(env, *arguments, stdout=None):
    subprocess.run(  # noqa: S603 (manage.py with the bench's own arguments)
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True, stdout=stdout
    )


def child(env, name, **arguments):
    """Run one measure of bench.measure in its own process; its JSON result."""
    finished = subprocess.run(  # noqa: S603 (our own module, fixed arguments)
        [sys.executable, "-m", "bench.measure", name, json.dumps(arguments)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if finished.returncode:
        sys.stderr.write(finished.stderr)
        raise SystemExit(f"La mesure {name} a échoué (voir ci-dessus).")
    return json.loads(finished.stdout.strip().splitlines()[-1])


def build(vendor, size):
    """A database of `size` with its data; the seconds it took."""
    began = time.monotonic()
    env = environment(vendor, size)
    recreate(vendor, size)
    manage(env, "migrate", "--noinput", "-v", "0")
    with open(DATA / f"generate-{vendor}-{size}.log", "w") as log:
        manage(env, "generate_data", *SIZES[size], stdout=log)
    vacuum(vendor, size)
    return env, round(time.monotonic() - began, 1)


def build_all(vendor, large):
    """Both databases of `vendor`: small (for the query counts) and large."""
    built = {"small": build(vendor, "small")}
    say(f"{vendor} : base small prête, génération de la base {large}")
    built["large"] = built["small"] if large == "small" else build(vendor, large)
    say(f"{vendor} : base {large} prête")
    return built


def measure_database(vendor, built, *, large, seconds, keep):
    (small_env, small_build), (env, large_build) = built["small"], built["large"]
    found = {"large_size": large, "small_build_s": small_build, "large_build_s": large_build}
    found["small_pages"] = child(small_env, "pages")
    say(f"{vendor} : rapports sur la base {large}")
    found["centre_report"] = child(env, "centre_report")
    found["federation_report"] = child(env, "federation_report")
    say(f"{vendor} : export du bilan")
    found["report_export"] = child(env, "report_export")
    say(f"{vendor} : pages (gunicorn)")
    page_setup = child(env, "pages")
    found["large_pages"] = page_setup
    found["http"] = pages.measure_pages(
        env, page_setup["urls"], page_setup["cookies"], seconds=seconds
    )
    say(f"{vendor} : import de 10 000 lignes")
    found["import"] = child(env, "import_people", path=str(DATA / "import.xlsx"))
    if not keep:
        drop(vendor, "small")
        drop(vendor, large)
    return found


def main():
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--databases", default="sqlite,postgresql", help="measured in this order")
    parser.add_argument("--quick", action="store_true", help="small data only, 2 s per page")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    for vendor, size in LARGE.items():
        parser.add_argument(f"--{vendor}-size", choices=sorted(SIZES), default=size)
    parser.add_argument("--seconds", type=float, default=10, help="load time per page")
    options = parser.parse_args()
    began = time.monotonic()
    DATA.mkdir(parents=True, exist_ok=True)
    static_env = environment("sqlite", "static")
    manage(static_env, "collectstatic", "--noinput", "-v", "0")
    child(static_env, "make_import_file", path=str(DATA / "import.xlsx"))
    results = {"started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")}
    results["databases"] = {}
    vendors = options.databases.split(",")
    sizes = {
        vendor: "small" if options.quick else getattr(options, f"{vendor}_size")
        for vendor in vendors
    }
    # Generating the largest database (PostgreSQL, federation size) takes most of the
    # budget: it starts at once, in the background, while the other database is built
    # and measured. Its own measures wait for it.
    with ThreadPoolExecutor(max_workers=len(vendors)) as pool:
        builds = {
            vendor: pool.submit(build_all, vendor, sizes[vendor])
            for vendor in sorted(vendors, key=lambda vendor: vendor != "postgresql")
        }
        for vendor in vendors:
            results["databases"][vendor] = measure_database(
                vendor,
                builds[vendor].result(),
                large=sizes[vendor],
                seconds=2 if options.quick else options.seconds,
                keep=options.keep,
            )
    results["wall_seconds"] = round(time.monotonic() - began)
    results["table"] = table_rows(results)
    print_table(results)
    if not options.quick:
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        say(f"résultats écrits dans {RESULTS.relative_to(ROOT)}")


def print_table(results):
    headers = ("Base", "Taille", "Mesure", "Valeur", "Cible", "Verdict")
    rows = [
        (r["database"], r["size"], r["measure"], r["value"], r["target"], r["verdict"])
        for r in results["table"]
    ]
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    line = "  ".join(f"{{:<{width}}}" for width in widths)
    print()
    print(line.format(*headers))
    print(line.format(*("-" * width for width in widths)))
    for row in rows:
        print(line.format(*(str(cell) for cell in row)))
    print()
    misses = [r for r in results["table"] if r["verdict"] == "MISS"]
    print(
        f"{len(misses)} cible(s) manquée(s)" if misses else "Toutes les cibles sont atteintes",
        f"— durée totale {results['wall_seconds'] // 60} min {results['wall_seconds'] % 60} s.",
    )
    print(
        "Les cibles de l'issue #7 valent pour la taille federation sur PostgreSQL ; "
        "sur une autre taille le verdict est indicatif."
    )


if __name__ == "__main__":
    main()
