import unicodedata

LIGATURES = {"œ": "oe", "æ": "ae", "ß": "ss"}


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
