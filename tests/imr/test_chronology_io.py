"""Chronology files: the App 7 columns, every kind of bad input reported by row and column, formulas kept as
text and never evaluated, the row cap reached without reading the rest, the template, the exports, and the
child's age."""

import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from imr import chronology_io as cio

from ..factories import zipped

TODAY = dt.date(2027, 1, 11)
HEADERS = [header for _, header in cio.COLUMNS]


def as_csv(*rows, header=HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def as_xlsx(*rows, header=HEADERS) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row(
    no="1",
    date="27/03/2019",
    time="14:30",
    member="M",
    seen="Y",
    event="Home visit",
    source="",
    action="",
    note="",
):
    return [no, date, time, member, seen, event, source, action, note]


def problems(result) -> set[tuple]:
    return {(p.row, p.column, p.message) for p in result.problems}


def test_a_valid_csv_gives_typed_rows():
    result = cio.parse_chronology(
        as_csv(row(), row(no="2", date="2019-03-28", time="", seen="n", member="", source="Police")),
        "csv",
        today=TODAY,
    )
    assert result.ok
    assert result.rows == [
        {
            "event_no": 1,
            "date": dt.date(2019, 3, 27),
            "time": dt.time(14, 30),
            "family_member": "M",
            "child_seen": True,
            "event": "Home visit",
            "agency_source": "",
            "action_taken": "",
            "note": "",
        },
        {
            "event_no": 2,
            "date": dt.date(2019, 3, 28),
            "time": None,
            "family_member": "",
            "child_seen": False,
            "event": "Home visit",
            "agency_source": "Police",
            "action_taken": "",
            "note": "",
        },
    ]


def test_columns_in_another_order_and_the_age_column_are_accepted():
    header = ["Age of Child", *reversed(HEADERS)]
    result = cio.parse_chronology(as_csv(["2 years", *reversed(row())], header=header), "csv", today=TODAY)
    assert result.ok and result.rows[0]["event"] == "Home visit"


def test_wrong_columns_are_named():
    header = [h for h in HEADERS if h != "Note"] + ["Worker's name"]
    result = cio.parse_chronology(as_csv(row()[:-1] + ["J Smith"], header=header), "csv", today=TODAY)
    assert problems(result) == {
        (1, "Worker's name", "“Worker's name” is not a column of the chronology template"),
        (1, "Note", "The column “Note” is missing"),
    }
    assert result.rows == []


def test_a_file_without_the_heading_row_says_so():
    result = cio.parse_chronology(as_csv(row(), header=row(no="0")), "csv", today=TODAY)
    assert [p.message for p in result.problems] == [cio.NO_HEADER]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2020", cio.DATE_MESSAGE),
        ("2020-13-01", cio.DATE_MESSAGE),
        ("yesterday", cio.DATE_MESSAGE),
        ("01/01/1850", cio.DATE_MESSAGE),
        ("12/01/2027", "Date must be today or in the past"),
        ("", "Enter the date of the event"),
    ],
)
def test_impossible_dates_are_reported(value, message):
    result = cio.parse_chronology(as_csv(row(date=value)), "csv", today=TODAY)
    assert problems(result) == {(2, "Date", message)}


@pytest.mark.parametrize("value", ["25:61", "24:00", "12:60", "9.30", "noon", "1430"])
def test_impossible_times_are_reported(value):
    result = cio.parse_chronology(as_csv(row(time=value)), "csv", today=TODAY)
    assert problems(result) == {(2, "Time", cio.TIME_MESSAGE)}


@pytest.mark.parametrize("value", ["Yes", "no", "1", "0", "TRUE", "", "Y/N", "x"])
def test_child_seen_answers_in_other_forms_are_refused(value):
    result = cio.parse_chronology(as_csv(row(seen=value)), "csv", today=TODAY)
    assert problems(result) == {(2, "Child seen/wishes sought or expressed (Y/N)", cio.CHILD_SEEN_MESSAGE)}


def test_every_problem_of_every_row_is_listed_and_nothing_is_kept():
    result = cio.parse_chronology(
        as_csv(row(), row(no="x", time="25:61"), row(no="1", event=""), row(no="4", seen="Yes")),
        "csv",
        today=TODAY,
    )
    assert problems(result) == {
        (3, "Event No", cio.EVENT_NO_MESSAGE),
        (3, "Time", cio.TIME_MESSAGE),
        (4, "Event", "Enter what happened in the Event column"),
        (5, "Child seen/wishes sought or expressed (Y/N)", cio.CHILD_SEEN_MESSAGE),
    }
    assert result.rows == []


def test_a_repeated_event_number_names_both_rows():
    result = cio.parse_chronology(as_csv(row(), row()), "csv", today=TODAY)
    assert problems(result) == {(3, "Event No", "Event No 1 is used more than once (also in row 2)")}


def test_csv_formulas_are_kept_as_text():
    result = cio.parse_chronology(
        as_csv(row(event="=1+1", action="+SUM(A1:A2)", note='=HYPERLINK("http://x","y")')), "csv", today=TODAY
    )
    assert result.ok
    assert (result.rows[0]["event"], result.rows[0]["action_taken"]) == ("=1+1", "+SUM(A1:A2)")


def test_xlsx_formulas_are_kept_as_text_and_never_calculated():
    data = as_xlsx([1, dt.datetime(2019, 3, 27), dt.time(9, 5), "M", "Y", "=1+1", "=A1*2", None, None])
    result = cio.parse_chronology(data, "xlsx", today=TODAY)
    assert result.ok
    assert result.rows[0] | {} == {
        "event_no": 1,
        "date": dt.date(2019, 3, 27),
        "time": dt.time(9, 5),
        "family_member": "M",
        "child_seen": True,
        "event": "=1+1",
        "agency_source": "=A1*2",
        "action_taken": "",
        "note": "",
    }


def test_xlsx_text_dates_and_bad_cells_are_checked_like_csv():
    data = as_xlsx([1.0, "31/02/2019", "25:61", "M", "yes", "Visit", None, None, None])
    result = cio.parse_chronology(data, "xlsx", today=TODAY)
    assert {(p.row, p.column) for p in result.problems} == {
        (2, "Date"),
        (2, "Time"),
        (2, "Child seen/wishes sought or expressed (Y/N)"),
    }


def test_blank_rows_are_skipped_and_an_empty_file_says_so():
    assert cio.parse_chronology(as_csv(["", "", ""], row(), [""] * 9), "csv", today=TODAY).ok
    assert [p.message for p in cio.parse_chronology(as_csv(), "csv", today=TODAY).problems] == [cio.NO_ROWS]
    assert [p.message for p in cio.parse_chronology(b"", "csv", today=TODAY).problems] == [cio.NO_ROWS]


def test_the_row_cap_stops_reading(monkeypatch):
    """50,000 rows: refused with a clear message after 5,001 rows are read, the rest never parsed."""
    cleaned = []
    original = cio._clean_row
    monkeypatch.setattr(cio, "_clean_row", lambda *a, **k: cleaned.append(1) or original(*a, **k))
    data = as_csv(*(row(no=str(n)) for n in range(1, 50_001)))
    result = cio.parse_chronology(data, "csv", today=TODAY)
    assert [p.message for p in result.problems] == [cio.TOO_MANY_ROWS]
    assert len(cleaned) == cio.MAX_IMPORT_ROWS
    assert result.rows == []


def test_exactly_the_cap_is_allowed():
    data = as_csv(*(row(no=str(n)) for n in range(1, cio.MAX_IMPORT_ROWS + 1)))
    assert len(cio.parse_chronology(data, "csv", today=TODAY).rows) == cio.MAX_IMPORT_ROWS


def test_text_that_is_not_utf8_or_a_broken_workbook_is_refused():
    assert [
        p.message for p in cio.parse_chronology("Événement".encode("latin-1"), "csv", today=TODAY).problems
    ] == [cio.NOT_UTF8]
    broken = zipped({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "not a workbook"})
    assert [p.message for p in cio.parse_chronology(broken, "xlsx", today=TODAY).problems] == [cio.UNREADABLE]


def test_a_workbook_that_inflates_too_much_is_refused(monkeypatch):
    monkeypatch.setattr(cio, "MAX_UNZIPPED_BYTES", 1000)
    data = as_xlsx(row())
    assert [p.message for p in cio.parse_chronology(data, "xlsx", today=TODAY).problems] == [
        cio.UNZIPPED_TOO_BIG
    ]


def test_the_templates_round_trip_and_their_example_row_is_never_imported():
    """Issue 19: the chronology template's example row imported as a real event."""
    for data, file_type in ((cio.template_csv(), "csv"), (cio.template_xlsx(), "xlsx")):
        untouched = cio.parse_chronology(data, file_type, today=TODAY)
        assert [p.message for p in untouched.problems] == [cio.NO_ROWS]
        assert untouched.rows == []
    filled = as_csv(cio.TEMPLATE_EXAMPLE, row(no="2", event="Seen at school"))
    result = cio.parse_chronology(filled, "csv", today=TODAY)
    assert result.ok
    assert [r["event"] for r in result.rows] == ["Seen at school"]
    filled = as_xlsx(cio.TEMPLATE_EXAMPLE, row(no="2", event="Seen at school"))
    assert [r["event"] for r in cio.parse_chronology(filled, "xlsx", today=TODAY).rows] == ["Seen at school"]


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (dt.date(2020, 5, 1), dt.date(2020, 5, 1), "0 days"),
        (dt.date(2020, 5, 1), dt.date(2020, 5, 20), "19 days"),
        (dt.date(2020, 5, 1), dt.date(2021, 1, 1), "8 months"),
        (dt.date(2020, 5, 31), dt.date(2021, 6, 30), "1 year"),
        (dt.date(2020, 5, 1), dt.date(2023, 7, 15), "3 years 2 months"),
        (dt.date(2020, 5, 1), dt.date(2020, 4, 1), "Before birth"),
        (None, dt.date(2020, 4, 1), "Not known"),
    ],
)
def test_child_age_at_the_event(born, on, age):
    assert cio.child_age(born, on) == age


def export_row(**values):
    base = {
        "agency": "Alpha Police",
        "event_no": 1,
        "date": dt.date(2021, 1, 1),
        "time": dt.time(9, 30),
        "age": "8 months",
        "family_member": "M",
        "child_seen": True,
        "event": "=1+1",
        "agency_source": "@SUM(1)",
        "action_taken": "-2",
        "note": "",
        "several_agencies": True,
    }
    return cio.ExportRow(**(base | values))


def test_csv_export_neutralises_formulas():
    text = cio.export_csv([export_row()]).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == list(cio.EXPORT_HEADERS)
    assert lines[1] == [
        "Alpha Police",
        "1",
        "01/01/2021",
        "09:30",
        "8 months",
        "M",
        "Y",
        "'=1+1",
        "'@SUM(1)",
        "'-2",
        "",
        "Y",
    ]


def test_xlsx_export_writes_text_as_text_and_dates_as_dates():
    data = cio.export_xlsx([export_row()], title="Integrated chronology of X")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no formula anywhere
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "Integrated chronology of X"
    assert rows[2][:4] == ("Alpha Police", 1, dt.datetime(2021, 1, 1), dt.time(9, 30))
    assert rows[2][7] == "=1+1"
