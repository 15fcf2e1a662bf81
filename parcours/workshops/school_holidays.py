"""The official school holiday calendar (Ministère de l'Éducation nationale, arrêtés
published in the Journal officiel), as days without class: from the Saturday the
holidays start to the Sunday before classes resume.

The `holidays` package knows France's public holidays, Moselle's included, but not its
school holidays, hence this table. It is loaded into `SchoolHoliday` by a migration;
later years are added there (Django admin) when the ministry publishes them, and the
planning page warns when a period runs past the last known holiday.
"""

import datetime

D = datetime.date

ALL_ZONES = "ABC"

# (zones, name, first day without class, last day without class)
OFFICIAL = [
    # 2024–2025
    (ALL_ZONES, "Vacances de la Toussaint", D(2024, 10, 19), D(2024, 11, 3)),
    (ALL_ZONES, "Vacances de Noël", D(2024, 12, 21), D(2025, 1, 5)),
    ("A", "Vacances d'hiver", D(2025, 2, 22), D(2025, 3, 9)),
    ("B", "Vacances d'hiver", D(2025, 2, 8), D(2025, 2, 23)),
    ("C", "Vacances d'hiver", D(2025, 2, 15), D(2025, 3, 2)),
    ("A", "Vacances de printemps", D(2025, 4, 19), D(2025, 5, 4)),
    ("B", "Vacances de printemps", D(2025, 4, 5), D(2025, 4, 21)),
    ("C", "Vacances de printemps", D(2025, 4, 12), D(2025, 4, 27)),
    (ALL_ZONES, "Pont de l'Ascension", D(2025, 5, 29), D(2025, 6, 1)),
    (ALL_ZONES, "Vacances d'été", D(2025, 7, 5), D(2025, 8, 31)),
    # 2025–2026
    (ALL_ZONES, "Vacances de la Toussaint", D(2025, 10, 18), D(2025, 11, 2)),
    (ALL_ZONES, "Vacances de Noël", D(2025, 12, 20), D(2026, 1, 4)),
    ("A", "Vacances d'hiver", D(2026, 2, 7), D(2026, 2, 22)),
    ("B", "Vacances d'hiver", D(2026, 2, 14), D(2026, 3, 1)),
    ("C", "Vacances d'hiver", D(2026, 2, 21), D(2026, 3, 8)),
    ("A", "Vacances de printemps", D(2026, 4, 4), D(2026, 4, 19)),
    ("B", "Vacances de printemps", D(2026, 4, 11), D(2026, 4, 26)),
    ("C", "Vacances de printemps", D(2026, 4, 18), D(2026, 5, 3)),
    (ALL_ZONES, "Pont de l'Ascension", D(2026, 5, 14), D(2026, 5, 17)),
    (ALL_ZONES, "Vacances d'été", D(2026, 7, 4), D(2026, 8, 31)),
]


def load(school_holiday_model):
    """Create the official periods that are missing; leave every other row alone."""
    for zones, name, starts_on, ends_on in OFFICIAL:
        for zone in zones:
            school_holiday_model.objects.get_or_create(
                zone=zone, starts_on=starts_on, defaults={"name": name, "ends_on": ends_on}
            )
