"""The board reports (issue 7) for the business unit and the LSCB Chair: each a page with a chart drawn on
the server, the data table beside it, and a CSV export; and an annual-report summary that prints."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from scr_portal.pagecache import cached_page
from scr_portal.permissions import DECIDE_REFERRALS, WORK_CASES, user_has_board_perm

from . import figures
from .charts import bar_chart

REPORTS = {
    "timeliness": (
        "Timeliness",
        "Referral to decision against the one-month target, decision to completion against six months, "
        "IMRs on time and actions on time, per year and per review type.",
        ["year", "measure", "review_type", "total", "on_time", "percent_on_time"],
        ["Year", "Measure", "Review type", "Total", "On time", "% on time"],
    ),
    "decisions": (
        "Decisions",
        "Referrals by the advice from the checklist and by the decision's outcome (the LSCB Chair's for an "
        "SCR, the safeguarding partners' for an LCSPR), per year and framework.",
        ["year", "framework", "by", "category", "count"],
        ["Year", "Framework", "By", "Category", "Count"],
    ),
    "themes": (
        "Learning themes",
        "How often each learning theme was tagged on referrals, reviews and recommendations, per year.",
        ["year", "theme", "tagged_on", "count"],
        ["Year", "Theme", "Tagged on", "Count"],
    ),
    "agencies": (
        "Agencies",
        "Actions owned, overdue and verified per agency.",
        ["agency", "owned", "overdue", "verified"],
        ["Agency", "Actions owned", "Overdue", "Verified"],
    ),
}
REFUSAL = "Only the business unit and the LSCB Chair can see the board reports."


def _board(request):
    board = getattr(request, "board", None)
    if board is None:
        raise Http404("No board.")
    if not any(user_has_board_perm(request.user, board, perm) for perm in (WORK_CASES, DECIDE_REFERRALS)):
        raise PermissionDenied(REFUSAL)
    return board


def report_rows(slug: str, board) -> list[dict]:
    return getattr(figures, slug)(board)


def chart_bars(slug: str, rows: list[dict]) -> list[tuple[str, int]]:
    if slug == "timeliness":
        return [
            (f"{r['year']} {r['measure']}", r["percent_on_time"]) for r in rows if r["review_type"] == "All"
        ]
    if slug == "decisions":
        return [(f"{r['year']} {r['framework']} {r['by']}: {r['category']}", r["count"]) for r in rows]
    if slug == "themes":
        return [(f"{r['year']} {r['theme']} ({r['tagged_on'].lower()})", r["count"]) for r in rows]
    return [(r["agency"], r["owned"]) for r in rows]


CHART_TITLES = {
    "timeliness": "Percentage on time, per year and measure (all review types)",
    "decisions": "Referrals per year, by advice and by outcome",
    "themes": "Times each theme was tagged, per year",
    "agencies": "Actions owned per agency",
}


@require_GET
def report_index(request: HttpRequest) -> HttpResponse:
    board = _board(request)
    return render(request, "reports/index.html", {"board": board, "reports": REPORTS})


@require_GET
def report(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in REPORTS:
        raise Http404("No such report.")
    board = _board(request)
    title, intro, keys, headers = REPORTS[slug]
    rows = report_rows(slug, board)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{board.short_name}-{slug}.csv"'
        writer = csv.writer(response)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row[key] for key in keys])
        return response
    return render(
        request,
        "reports/report.html",
        {
            "board": board,
            "slug": slug,
            "title": title,
            "intro": intro,
            "headers": headers,
            "table": [[row[key] for key in keys] for row in rows],
            "chart": bar_chart(
                chart_id=f"chart-{slug}", title=CHART_TITLES[slug], bars=chart_bars(slug, rows)
            ),
            "reviews": figures.review_timeliness(board) if slug == "timeliness" else None,
        },
    )


@cached_page
@require_GET
def annual_summary(request: HttpRequest) -> HttpResponse:
    board = _board(request)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    timeliness = [r for r in figures.timeliness(board) if r["year"] == year and r["review_type"] == "All"]
    decisions = [r for r in figures.decisions(board) if r["year"] == year]
    themes = [r for r in figures.themes(board) if r["year"] == year]
    return render(
        request,
        "reports/annual.html",
        {
            "board": board,
            "year": year,
            "timeliness": timeliness,
            "decisions": decisions,
            "themes": themes,
            "agencies": figures.agencies(board),
            "chart": bar_chart(
                chart_id="chart-annual",
                title=f"Percentage on time in {year}",
                bars=[(r["measure"], r["percent_on_time"]) for r in timeliness],
            ),
        },
    )
