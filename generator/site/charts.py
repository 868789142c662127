"""Bar charts as inline SVG made at build time: readable without JavaScript, with text labels."""

from __future__ import annotations

from generator.site.safety import html_text

WIDTH = 640
"""Width of the charts' coordinate system (they scale to the page)."""


def _svg(height: int, label: str, body: list[str]) -> str:
    # One block with no blank line, so that Markdown passes it through as raw HTML.
    return "\n".join([
        f'<svg class="atlas-chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{html_text(label)}">',
        f"<title>{html_text(label)}</title>",
        *body,
        "</svg>",
    ])


def horizontal_bars(label: str, rows: list[tuple[str, int]]) -> str:
    """One bar per (label, count) row, the label on the left and the count after the bar."""
    row_height, label_width = 26, 230
    peak = max((count for _, count in rows), default=0) or 1
    span = WIDTH - label_width - 50
    body = []
    for i, (name, count) in enumerate(rows):
        y = i * row_height
        width = round(span * count / peak, 1)
        body.append(
            f'<g transform="translate(0 {y})">'
            f'<text class="atlas-chart__label" x="{label_width - 8}" y="17" text-anchor="end">{html_text(name)}</text>'
            f'<rect class="atlas-chart__bar" x="{label_width}" y="4" width="{width}" height="18" rx="2"></rect>'
            f'<text class="atlas-chart__value" x="{label_width + width + 6}" y="17">{count}</text>'
            "</g>"
        )
    return _svg(max(len(rows), 1) * row_height + 4, label, body)


def vertical_bars(label: str, columns: list[tuple[str, int]]) -> str:
    """One column per (label, count), counts above the columns and labels below (thinned when crowded)."""
    top, chart_height, bottom = 20, 120, 24
    peak = max((count for _, count in columns), default=0) or 1
    slot = WIDTH / max(len(columns), 1)
    every = max(1, round(len(columns) / 16))
    body = []
    for i, (name, count) in enumerate(columns):
        x = round(i * slot, 1)
        height = round(chart_height * count / peak, 1)
        centre = round(x + slot / 2, 1)
        bar_width = round(max(slot * 0.7, 1), 1)
        body.append(
            f'<rect class="atlas-chart__bar" x="{round(x + slot * 0.15, 1)}" y="{round(top + chart_height - height, 1)}" '
            f'width="{bar_width}" height="{height}" rx="2"><title>{html_text(name)}: {count}</title></rect>'
        )
        if count:
            body.append(f'<text class="atlas-chart__value" x="{centre}" y="{round(top + chart_height - height - 4, 1)}" text-anchor="middle">{count}</text>')
        if i % every == 0:
            body.append(f'<text class="atlas-chart__label" x="{centre}" y="{top + chart_height + 17}" text-anchor="middle">{html_text(name)}</text>')
    return _svg(top + chart_height + bottom, label, body)


def year_columns(counts: dict[int, int]) -> list[tuple[str, int]]:
    """Every year from the first to the last with a paper, zero where none."""
    if not counts:
        return []
    return [(str(year), counts.get(year, 0)) for year in range(min(counts), max(counts) + 1)]
