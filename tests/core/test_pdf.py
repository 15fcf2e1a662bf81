"""The PDF toolkit every printed document draws with, read back with pdftotext."""

from parcours.core.pdf import PDF

from ..workshops.test_sheets import pages, pdf_text


def test_it_numbers_the_pages_of_each_part_on_their_own():
    pdf = PDF("Deux parties")
    pdf.begin_part("Première partie")
    pdf.add_page()
    pdf.begin_part("Seconde partie")

    found = pages(pdf_text(pdf.to_bytes()))

    assert len(found) == 3
    for page, (footer, number) in zip(
        found,
        [
            ("Première partie", "Page 1/2"),
            ("Première partie", "Page 2/2"),
            ("Seconde partie", "Page 1/1"),
        ],
        strict=True,
    ):
        assert footer in page
        assert number in page


def test_it_draws_the_heading_its_fields_and_a_grid_with_french_accents():
    pdf = PDF("Essai")
    pdf.begin_part("Essai")
    pdf.heading(centre="Centre « Le Lierre »", programme="Objectif : Insertion(s)", title="Bilan")
    pdf.fields(
        [("Personne", "ÉLODIE Bœuf"), ("Période", "du 01/08/2026 au 31/08/2026")], label_width=30
    )
    pdf.grid((60, 40), [("Atelier", "Présences"), ("Français à l'écrit", "3 sur 4")])

    text = pdf_text(pdf.to_bytes())

    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[:3] == ["Centre « Le Lierre »", "Objectif : Insertion(s)", "Bilan"]
    assert "Personne" in lines[3] and "ÉLODIE Bœuf" in lines[3]
    assert "Période" in lines[4] and "du 01/08/2026 au 31/08/2026" in lines[4]
    assert "Atelier" in lines[5] and "Présences" in lines[5]
    assert "Français à l'écrit" in lines[6] and "3 sur 4" in lines[6]
