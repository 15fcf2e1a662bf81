import functools
import unicodedata

from django.db.models import Value
from django.db.models.functions import Replace

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
    "zoé lefèvre" finds LEFEVRE Zoé, "rouge croix" finds Croix-Rouge. The words are
    looked for in the key without its spaces, so that a name written with an
    apostrophe or a hyphen is found typed in one word: "ndiaye" finds N'DIAYE (key
    "n diaye"), "jeanmarc" finds Jean-Marc."""
    queryset = queryset.alias(_joined_key=Replace(field, Value(" "), Value("")))
    for word in name_key(text).split():
        queryset = queryset.filter(_joined_key__contains=word)
    return queryset
