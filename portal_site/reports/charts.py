"""Bar charts drawn on the server as SVG (issue 7): no JavaScript, a title and description for assistive
technology, and always a data table beside them on the page. Colours meet WCAG contrast on white."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#1d70b8", "#00703c", "#d4351c", "#4c2c92", "#505a5f")
ROW_HEIGHT, BAR_HEIGHT, LABEL_WIDTH, BAR_WIDTH, TOP = 28, 18, 300, 380, 10


def bar_chart(
    *, chart_id: str, title: str, bars: list[tuple[str, int]], series_label: str = ""
) -> SafeString:
    """Horizontal bars, one per (label, value), each labelled with its value."""
    peak = max((value for _, value in bars), default=0) or 1
    height = TOP * 2 + ROW_HEIGHT * max(len(bars), 1)
    width = LABEL_WIDTH + BAR_WIDTH + 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="app-chart" width="100%" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(series_label or title)}: the same figures are in the table '
        f"below the chart.</desc>",
    ]
    if not bars:
        parts.append(f'<text x="0" y="{TOP + 14}" font-size="14" fill="#0b0c0c">No figures yet</text>')
    for index, (label, value) in enumerate(bars):
        y = TOP + index * ROW_HEIGHT
        length = round(BAR_WIDTH * value / peak)
        colour = COLOURS[0]
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 14}" font-size="13" text-anchor="end" '
            f'fill="#0b0c0c">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" fill="{colour}"/>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 14}" font-size="13" fill="#0b0c0c">{value}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above
