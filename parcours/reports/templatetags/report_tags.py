"""Numbers the French way and small SVG charts for the report page (no JavaScript)."""

from django import template
from django.utils.formats import number_format

register = template.Library()

BAR_HEIGHT = 22
LABEL_WIDTH = 230
CHART_WIDTH = 640


@register.filter
def figure(value, unit=""):
    """1234 -> "1 234", 74.1 with "%" -> "74,1 %", None -> "—"."""
    if value is None:
        return "—"
    decimals = 0 if float(value).is_integer() and unit != "h" else 1 if unit == "%" else 2
    text = number_format(value, decimal_pos=decimals, force_grouping=True)
    return f"{text} {unit}".strip() if unit else text


@register.filter
def signed(value, unit=""):
    if value is None:
        return "—"
    return ("+" if value > 0 else "") + figure(value, unit)


@register.inclusion_tag("reports/_bar_chart.html")
def bar_chart(table):
    rows = [r for r in table.rows if isinstance(r.value, int | float)]
    top = max([r.value for r in rows] + [1])
    bars = [
        {
            "label": r.label,
            "value": r,
            "y": i * BAR_HEIGHT,
            "width": round((CHART_WIDTH - LABEL_WIDTH - 60) * r.value / top, 1),
            "text_x": round(LABEL_WIDTH + 6 + (CHART_WIDTH - LABEL_WIDTH - 60) * r.value / top, 1),
        }
        for i, r in enumerate(rows)
    ]
    return {
        "table": table,
        "bars": bars,
        "height": len(bars) * BAR_HEIGHT + 4,
        "label_width": LABEL_WIDTH,
        "width": CHART_WIDTH,
    }


@register.inclusion_tag("reports/_line_chart.html")
def line_chart(table):
    rows = [r for r in table.rows if isinstance(r.value, int | float)]
    top = max([r.value for r in rows] + [1])
    step = (CHART_WIDTH - 80) / max(len(rows) - 1, 1)
    points = [
        {"x": round(40 + i * step, 1), "y": round(170 - 150 * r.value / top, 1), "row": r}
        for i, r in enumerate(rows)
    ]
    return {
        "table": table,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "width": CHART_WIDTH,
        "top": top,
    }
