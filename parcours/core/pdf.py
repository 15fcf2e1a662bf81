"""The PDF toolkit every printed document uses: sign-in sheets, the bilan de parcours,
the activity report, the information notice and the subject-access export.

One page (A4 portrait, 15 mm margins), one font, one heading, one table style and
one footer, so that every paper the centre hands out or sends looks alike. The font
is DejaVu Sans, vendored in `fonts/` with its licence: the accents of French names
then print on any server, whatever fonts it has installed.

What a document says is drawn by its own app; this module knows no app.
"""

from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).parent / "fonts"
FONT = "DejaVu"


class PDF(FPDF):
    """A4 portrait with the vendored font; pages are numbered per part ("Page 1/2" for
    each session of a monthly sheet), which the footer alone cannot know while
    drawing, hence `_number_pages` once everything is laid out."""

    def __init__(self, title):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=20)
        self.add_font(FONT, "", FONTS / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
        self.set_title(title)
        self.set_creator("Parcours")
        self.parts = []  # (first page, footer text)

    def begin_part(self, footer):
        """A new page starting a part whose pages carry `footer` and their own
        numbering."""
        self.add_page()
        self.parts.append((self.page, footer))

    def heading(self, *, centre, programme, title):
        """Who writes (the centre, and its programme when there is one), then the
        document's title over a rule."""
        self.set_text_color(0)
        self.set_font(FONT, "B", 11)
        self.cell(0, 6, centre, new_x="LMARGIN", new_y="NEXT")
        if programme:
            self.set_font(FONT, "", 10)
            self.cell(0, 5, programme, new_x="LMARGIN", new_y="NEXT")
        self.ln(3)
        self.set_font(FONT, "B", 18)
        self.cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
        self.rule(grey=0, width=0.4)
        self.ln(3)

    def rule(self, *, grey, width=0.2):
        """A line from margin to margin at the current height, under a title."""
        self.set_draw_color(grey)
        self.set_line_width(width)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())

    def fields(self, fields, *, label_width, height=6):
        """(label, value) pairs under the heading: the label in bold in a column of
        `label_width` mm, the value wrapping beside it."""
        for label, value in fields:
            self.set_font(FONT, "B", 10)
            self.cell(label_width, height, label)
            self.set_font(FONT, "", 10)
            self.multi_cell(0, height, value, align="L", new_x="LMARGIN", new_y="NEXT")

    def grid(self, widths, rows, *, text_align="LEFT"):
        """A table ruled by thin grey lines, its first row as the header; `text_align`
        is one alignment for every column or one per column."""
        self.set_font(FONT, "", 9)
        self.set_draw_color(160)
        with self.table(
            col_widths=widths,
            width=sum(widths),
            align="LEFT",
            text_align=text_align,
            line_height=4.6,
            padding=(0.8, 1.5),
            borders_layout="HORIZONTAL_LINES",
        ) as table:
            for row in rows:
                table.row(row)

    def to_bytes(self):
        self._number_pages()
        return bytes(self.output())

    def _number_pages(self):
        last_page = self.page
        ends = [first - 1 for first, _ in self.parts[1:]] + [last_page]
        self.set_font(FONT, "", 8)
        # text() only writes a colour when it differs from the fill colour; keep them
        # different so each revisited page gets its grey explicitly.
        self.set_fill_color(255)
        self.set_text_color(90)
        y = self.h - 10
        for (first, footer), end in zip(self.parts, ends, strict=True):
            for page in range(first, end + 1):
                self.page = page
                # The font is selected per page stream: select it again on this one.
                self.current_font_is_set_on_page = False
                self.text(self.l_margin, y, footer)
                number = f"Page {page - first + 1}/{end - first + 1}"
                self.text(self.w - self.r_margin - self.get_string_width(number), y, number)
        self.page = last_page
