import functools
import unicodedata

LIGATURES = {"œ": "oe", "æ": "ae", "ß": "ss"}


# Imports ask for the key of the same choice labels and names on every line.
@functools.lru_cache(maxsize=10_000)
def name_key(*parts):
    """A spelling-proof key: accents, case, ligatures, hyphens, apostrophes and extra
    spaces ignored.

    'Zoé-Marie  LEFÈVRE' and 'zoe marie lefevre' give the same key; searches and the
    duplicate check compare stored keys, which works alike on SQLite and PostgreSQL.
    """
    text = " ".join(p for p in parts if p).lower()
    for ligature, letters in LIGATURES.items():
        text = text.replace(ligature, letters)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    for separator in "-'’":
        text = text.replace(separator, " ")
    return " ".join(text.split())


def matching_words(queryset, text, field="search_key"):
    """Rows whose `field` (a stored name_key) holds every word typed, in any order:
    "zoé lefèvre" finds LEFEVRE Zoé, "rouge croix" finds Croix-Rouge."""
    for word in name_key(text).split():
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset
