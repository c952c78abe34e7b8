"""The load test's report (portal_site.bench.run): the background jobs measured by `make bench` (the reminder
sweep and the PDF renders) are rows of the same table, judged against their own targets."""

import json
from types import SimpleNamespace

from portal_site.bench.run import Results, background_rows


def test_sweep_and_pdf_figures_become_rows_of_the_load_table(tmp_path):
    sweep = tmp_path / "sweep.json"
    pdf = tmp_path / "pdf.json"
    sweep.write_text(json.dumps([{"deadlines": 300_000, "due": 3_000, "queries": 12, "seconds": 1.05}]))
    pdf.write_text(
        json.dumps(
            [
                {"key": "chronology", "label": "Integrated chronology, 500 rows", "median": 5.9, "target": 5},
                {"key": "letter", "label": "Family letter", "median": 0.07, "target": 1},
                {"key": "information", "label": "Chronology, 3,000 rows", "median": 30, "target": None},
            ]
        )
    )
    levels = {1: Results(), 20: Results(), 50: Results()}
    rows = background_rows(SimpleNamespace(sweep_json=str(sweep), pdf_json=str(pdf)), levels, 20)

    assert len(rows) == 3  # the 3,000-row chronology has no target and is left to its own section
    sweep_row, chronology_row, letter_row = rows
    assert sweep_row.startswith("| reminder sweep, 300,000 open deadlines, 3,000 due (job) | 12 | 1050 |")
    assert sweep_row.endswith("| 5000 | yes |")
    assert "| 5900 |" in chronology_row and chronology_row.endswith("| 5000 | **no** |")
    assert letter_row.endswith("| 1000 | yes |")
    # Each row has as many cells as a page row: page, queries, six per level, target, verdict.
    assert all(row.count("|") == 2 + 6 * 3 + 2 + 1 for row in rows)


def test_without_the_job_figures_there_are_no_job_rows(tmp_path):
    args = SimpleNamespace(sweep_json=str(tmp_path / "none.json"), pdf_json="")
    assert background_rows(args, {20: Results()}, 20) == []


def test_locust_statistics_become_the_saturation_table_and_plot(tmp_path):
    """Locust's CSV (per page: count and percentiles) is read into a level's figures; the closed-loop
    levels give the portal / floor ratio at the highest load that holds p95 ≤ 250 ms, and an SVG."""
    import xml.dom.minidom

    from portal_site.bench import saturation
    from portal_site.bench.run import read_stats

    header = "Type,Name,Request Count,Failure Count,50%,95%,99%\n"
    levels = {}
    for users, (home_p95, count, floor_count) in {
        1: (40, 100, 300),
        4: (200, 240, 800),
        16: (900, 260, 900),
    }.items():
        mixed = tmp_path / f"mixed-{users}_stats.csv"
        mixed.write_text(
            header
            + f"GET,home,{count},0,30,{home_p95},{home_p95}\n"
            + f"GET,floor,10,0,5,9,9\n,Aggregated,{count + 10},0,,,\n"
        )
        alone = tmp_path / f"floor-{users}_stats.csv"
        alone.write_text(header + f"GET,floor,{floor_count},0,5,9,9\n,Aggregated,{floor_count},0,,,\n")
        levels[users] = (
            read_stats(tmp_path / f"mixed-{users}", 10, 1.0),
            read_stats(tmp_path / f"floor-{users}", 10, 1.0),
        )
    assert levels[4][0].pages["home"] == {"p50": 30, "p95": 200, "p99": 200, "count": 240}
    rows = saturation.curve(
        {n: m for n, (m, _) in levels.items()}, {n: f for n, (_, f) in levels.items()}, ["home"]
    )
    text = "\n".join(saturation.table(rows))
    assert "| 4 | 25.0 | 80.0 | 0.31 | 200 | 10% of a core |" in text
    assert "25.0 req/s at 4 users, 0.31 × the floor's 80.0 req/s" in text  # 16 users breaks 250 ms
    svg = xml.dom.minidom.parseString(saturation.svg(rows))  # noqa: S318 — our own output
    assert svg.documentElement.tagName == "svg"
