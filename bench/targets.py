"""The targets of issue #7 §4 and the table of each measured figure against them."""

PAGES = ("person_list", "person_file", "session_attendance", "coordinator_home")
PAGE_P95_MS = 100
CENTRE_REPORT_MS = 300
FEDERATION_REPORT_MS = 5000
REPORT_RATIO = 1.5
IMPORT_S = 10
PEAK_MB = 300


def _verdict(value, limit):
    if value is None:
        return "MISS"
    return "PASS" if value <= limit else "MISS"


def _row(database, size, measure, value, target="", verdict="", note=""):
    return {
        "database": database,
        "size": size,
        "measure": measure,
        "value": value,
        "target": target,
        "verdict": verdict,
        "note": note,
    }


def table_rows(results):
    rows = []
    for database, found in results["databases"].items():
        size = found["large_size"]

        def add(measure, value, target="", verdict="", note="", size=size, database=database):
            rows.append(_row(database, size, measure, value, target, verdict, note))

        add("génération des données (s)", found["large_build_s"])
        report = found["centre_report"]
        add(
            "bilan d'un centre, appli (ms)",
            report["app_ms"],
            f"≤ {CENTRE_REPORT_MS}",
            _verdict(report["app_ms"], CENTRE_REPORT_MS),
        )
        add("bilan d'un centre, plancher SQL (ms)", report["floor_ms"])
        add(
            "bilan d'un centre, ratio appli/SQL",
            report["ratio"],
            f"≤ {REPORT_RATIO}",
            _verdict(report["ratio"], REPORT_RATIO),
        )
        add(
            "bilan d'un centre, chiffres SQL = appli",
            "oui" if report["equal"] else "NON",
            "oui",
            "PASS" if report["equal"] else "MISS",
            "; ".join(report["difference"]),
        )
        federation = found["federation_report"]
        add(
            f"bilan fédération ({federation['centres']} centres), appli (ms)",
            federation["app_ms"],
            f"≤ {FEDERATION_REPORT_MS}",
            _verdict(federation["app_ms"], FEDERATION_REPORT_MS),
        )
        add("bilan fédération, plancher SQL (ms)", federation["floor_ms"])
        add(
            "bilan fédération, ratio appli/SQL",
            federation["ratio"],
            f"≤ {REPORT_RATIO}",
            _verdict(federation["ratio"], REPORT_RATIO),
        )
        add(
            "bilan fédération, chiffres SQL = appli",
            "oui" if federation["equal"] else "NON",
            "oui",
            "PASS" if federation["equal"] else "MISS",
        )
        http = found["http"]
        add("vue minimale (req/s)", http["minimal"].get("rps"))
        small_queries = found["small_pages"]["queries"]
        large_queries = found["large_pages"]["queries"]
        for page in PAGES:
            measured = http[page]
            statuses = (
                f"échecs {measured['failures']} {measured['statuses']}"
                if measured["failures"]
                else ""
            )
            add(f"{page} médiane (ms)", measured.get("median_ms"))
            add(
                f"{page} p95 (ms)",
                measured.get("p95_ms"),
                f"≤ {PAGE_P95_MS}",
                _verdict(measured.get("p95_ms"), PAGE_P95_MS),
                statuses,
            )
            add(f"{page} req/s ÷ vue minimale", measured.get("rps_ratio"))
            same = small_queries[page] == large_queries[page]
            add(
                f"{page} requêtes small / {size}",
                f"{small_queries[page]} / {large_queries[page]}",
                "égales",
                "PASS" if same else "MISS",
            )
        add(
            "mémoire max d'un worker gunicorn (Mo)",
            http["worker_peak_mb"],
            f"≤ {PEAK_MB}",
            _verdict(http["worker_peak_mb"], PEAK_MB),
        )
        imported = found["import"]
        add(
            f"import de {imported['created']} lignes (s)",
            imported["seconds"],
            f"≤ {IMPORT_S}",
            _verdict(imported["seconds"], IMPORT_S) if not imported["errors"] else "MISS",
            "; ".join(imported["errors"]),
        )
        add(
            "import, mémoire max (Mo)",
            imported["peak_mb"],
            f"≤ {PEAK_MB}",
            _verdict(imported["peak_mb"], PEAK_MB),
        )
        export = found["report_export"]
        add(
            "export du bilan (.xlsx), mémoire max (Mo)",
            export["peak_mb"],
            f"≤ {PEAK_MB}",
            _verdict(export["peak_mb"], PEAK_MB) if export["status"] == 200 else "MISS",
        )
        add(
            "bilan d'un centre, mémoire max (Mo)",
            report["peak_mb"],
            f"≤ {PEAK_MB}",
            _verdict(report["peak_mb"], PEAK_MB),
        )
        add(
            "bilan fédération, mémoire max (Mo)",
            federation["peak_mb"],
            f"≤ {PEAK_MB}",
            _verdict(federation["peak_mb"], PEAK_MB),
        )
    return rows
