"""Chronology files in and out: the Solihull App 7 columns, the downloadable template, checking an import
row by row, and the integrated chronology's CSV and XLSX exports.

Checking is all-or-nothing: a file with any bad row imports nothing, and the report names every problem
by row and column. Cell contents are only ever text or typed values: a formula such as `=1+1` is kept as
the text `=1+1` and never evaluated (openpyxl opens workbooks without computing anything; a CSV is just
text), and macro-enabled workbooks are refused before they are opened (`scr_portal.uploads`). The number
of rows read is capped, so a 50,000-row file is refused after reading 5,001 of them."""

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.exceptions import InvalidFileException

MAX_IMPORT_ROWS = 5_000
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 60 * 1024 * 1024
MAX_PROBLEMS_LISTED = 500
MAX_EVENT_CHARS = 20_000
MAX_COLUMNS_READ = 30

# (key, header) in the order of the App 7 template. "Age of Child" is computed from the child's date of
# birth, so a file may carry the column (the Solihull spreadsheet does) but its values are ignored.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_no", "Event No"),
    ("date", "Date"),
    ("time", "Time"),
    ("family_member", "Family Member"),
    ("child_seen", "Child seen/wishes sought or expressed (Y/N)"),
    ("event", "Event"),
    ("agency_source", "Agency source to overview"),
    ("action_taken", "Action taken"),
    ("note", "Note"),
)
IGNORED_COLUMNS = ("Age of Child",)
HEADERS = {key: header for key, header in COLUMNS}
# The App 7 column headings in the template's order: "Age of Child" (which the import ignores, as the portal
# works it out) stands after "Time".
_AFTER_TIME = [key for key, _ in COLUMNS].index("time") + 1
APP7_HEADERS = (
    *(header for _, header in COLUMNS[:_AFTER_TIME]),
    *IGNORED_COLUMNS,
    *(header for _, header in COLUMNS[_AFTER_TIME:]),
)
TEMPLATE_EXAMPLE = (
    "1",
    "27/03/2019",
    "14:30",
    "M",
    "Y",
    "Home visit by the health visitor. The child was seen and appeared well.",
    "Health visiting",
    "Next visit booked for 6 weeks.",
    "",
)

TOO_MANY_ROWS = (
    f"The file has more than {MAX_IMPORT_ROWS:,} rows of events. Import at most {MAX_IMPORT_ROWS:,} rows at "
    "a time: split the chronology into smaller files."
)
NOT_UTF8 = "The file must be saved as “CSV UTF-8”. Save it again in that format and upload it again."
UNREADABLE = "The file could not be read as a spreadsheet. Save it again as CSV or XLSX and upload it again."
UNZIPPED_TOO_BIG = "The spreadsheet is too large once opened. Split the chronology into smaller files."
NO_ROWS = "The file has no events in it. Add rows under the column headings and upload it again."
NO_HEADER = "The first row must be the column headings of the chronology template."


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str
    message: str


@dataclass
class ParseResult:
    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, row: int | None, column: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_LISTED:
            self.problems.append(Problem(row, column, message))


class TooManyRows(Exception):
    pass


# --- Reading ------------------------------------------------------------------------------------------


def _normalise(header) -> str:
    return re.sub(r"\s+", " ", str(header or "")).strip().lower()


def _csv_rows(data: bytes) -> Iterator[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(NOT_UTF8) from None
    # newline="" semantics: csv handles quoted line breaks inside cells.
    yield from csv.reader(io.StringIO(text, newline=""))


def _xlsx_rows(data: bytes) -> Iterator[list]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise ValueError(UNZIPPED_TOO_BIG)
    except zipfile.BadZipFile:
        raise ValueError(UNREADABLE) from None
    try:
        # data_only=False: a formula cell gives its formula as text; nothing is ever calculated.
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ValueError(UNREADABLE) from None
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(max_col=MAX_COLUMNS_READ, values_only=True):
            yield list(row)
    finally:
        workbook.close()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _capped(rows: Iterator[tuple[int, list]]) -> Iterator[tuple[int, list]]:
    """(spreadsheet row number, cells) of the non-empty data rows; stops reading past the cap."""
    data_rows = 0
    for number, cells in rows:
        if all(_blank(cell) for cell in cells):
            continue
        data_rows += 1
        if data_rows > MAX_IMPORT_ROWS:
            raise TooManyRows
        yield number, cells


def _is_template_example(values: dict) -> bool:
    """The template's example row, left in the file: an illustration, never an event of the case."""
    event_column = [key for key, _ in COLUMNS].index("event")
    return _text(values.get("event")) == TEMPLATE_EXAMPLE[event_column]


def parse_chronology(data: bytes, file_type: str, *, today: dt.date) -> ParseResult:
    """Check a CSV or XLSX chronology. `rows` holds cleaned rows only when there are no problems."""
    result = ParseResult()
    try:
        rows = enumerate(_csv_rows(data) if file_type == "csv" else _xlsx_rows(data), start=1)
        header_number, header = next(rows, (0, None))
        while header is not None and all(_blank(cell) for cell in header):
            header_number, header = next(rows, (0, None))
        if header is None:
            result.add(None, "", NO_ROWS)
            return result
        positions = _check_header(header, header_number, result)
        if not result.ok:
            return result
        cleaned = []
        seen_numbers: dict[int, int] = {}
        for number, cells in _capped(rows):
            values = {key: cells[index] if index < len(cells) else None for key, index in positions.items()}
            if _is_template_example(values):
                continue
            row = _clean_row(number, values, result, today=today)
            if row is not None:
                earlier = seen_numbers.setdefault(row["event_no"], number)
                if earlier != number:
                    result.add(
                        number,
                        HEADERS["event_no"],
                        f"Event No {row['event_no']} is used more than once (also in row {earlier})",
                    )
                cleaned.append(row)
        if not cleaned and result.ok:
            result.add(None, "", NO_ROWS)
    except TooManyRows:
        result = ParseResult()
        result.add(None, "", TOO_MANY_ROWS)
        return result
    except ValueError as error:
        result = ParseResult()
        result.add(None, "", str(error))
        return result
    except csv.Error:
        result = ParseResult()
        result.add(None, "", UNREADABLE)
        return result
    if result.ok:
        result.rows = cleaned
    return result


def _check_header(header: list, number: int, result: ParseResult) -> dict[str, int]:
    wanted = {_normalise(text): key for key, text in COLUMNS}
    ignored = {_normalise(text) for text in IGNORED_COLUMNS}
    if not any(_normalise(cell) in wanted for cell in header):
        result.add(number, "", NO_HEADER)
        return {}
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = _normalise(cell)
        if not name:
            continue
        if name in ignored:
            continue
        key = wanted.get(name)
        if key is None:
            text = str(cell).strip()[:60]
            result.add(number, text, f"“{text}” is not a column of the chronology template")
        elif key in positions:
            result.add(number, HEADERS[key], f"The column “{HEADERS[key]}” appears more than once")
        else:
            positions[key] = index
    for key, text in COLUMNS:
        if key not in positions:
            result.add(number, text, f"The column “{text}” is missing")
    return positions


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


DATE_PATTERNS = (
    re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$"),
    re.compile(r"^(?P<d>\d{1,2})-(?P<m>\d{1,2})-(?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
)
TIME_PATTERN = re.compile(r"^(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?$")
DATE_MESSAGE = "Date must be a real date, like 27/03/2019"
TIME_MESSAGE = "Time must be a real time on the 24-hour clock, like 14:30, or left blank"
CHILD_SEEN_MESSAGE = "Child seen must be Y or N"
EVENT_NO_MESSAGE = "Event No must be a whole number, like 12"


def parse_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                return None
    return None


def parse_time(value) -> dt.time | None:
    if isinstance(value, dt.datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(microsecond=0)
    match = TIME_PATTERN.match(_text(value))
    if not match:
        return None
    try:
        return dt.time(int(match["h"]), int(match["m"]), int(match["s"] or 0))
    except ValueError:
        return None


def _clean_row(number: int, values: dict, result: ParseResult, *, today: dt.date) -> dict | None:
    before = result.problem_count
    row: dict = {}

    raw_no = values["event_no"]
    text_no = _text(raw_no)
    if not text_no:
        result.add(number, HEADERS["event_no"], "Enter the Event No")
    elif not text_no.isdigit() or int(text_no) < 1 or int(text_no) > 2_000_000_000:
        result.add(number, HEADERS["event_no"], EVENT_NO_MESSAGE)
    else:
        row["event_no"] = int(text_no)

    if _blank(values["date"]):
        result.add(number, HEADERS["date"], "Enter the date of the event")
    else:
        day = parse_date(values["date"])
        if day is None or day.year < 1900:
            result.add(number, HEADERS["date"], DATE_MESSAGE)
        elif day > today:
            result.add(number, HEADERS["date"], "Date must be today or in the past")
        else:
            row["date"] = day

    if _blank(values["time"]):
        row["time"] = None
    else:
        moment = parse_time(values["time"])
        if moment is None:
            result.add(number, HEADERS["time"], TIME_MESSAGE)
        else:
            row["time"] = moment

    member = _text(values["family_member"])
    if len(member) > 50:
        result.add(number, HEADERS["family_member"], "Family Member must be 50 characters or fewer")
    row["family_member"] = member

    seen = _text(values["child_seen"]).upper()
    if seen not in ("Y", "N"):
        result.add(number, HEADERS["child_seen"], CHILD_SEEN_MESSAGE)
    else:
        row["child_seen"] = seen == "Y"

    event = _text(values["event"])
    if not event:
        result.add(number, HEADERS["event"], "Enter what happened in the Event column")
    elif len(event) > MAX_EVENT_CHARS:
        result.add(number, HEADERS["event"], f"Event must be {MAX_EVENT_CHARS:,} characters or fewer")
    row["event"] = event

    source = _text(values["agency_source"])
    if len(source) > 200:
        result.add(number, HEADERS["agency_source"], "Agency source must be 200 characters or fewer")
    row["agency_source"] = source
    for key in ("action_taken", "note"):
        text = _text(values[key])
        if len(text) > MAX_EVENT_CHARS:
            result.add(
                number, HEADERS[key], f"{HEADERS[key]} must be {MAX_EVENT_CHARS:,} characters or fewer"
            )
        row[key] = text
    return row if result.problem_count == before else None


# --- The child's age ----------------------------------------------------------------------------------


def child_age(date_of_birth: dt.date | None, on: dt.date) -> str:
    """The child's age at an event, as App 7's "Age of Child" column shows it."""
    if date_of_birth is None:
        return "Not known"
    if on < date_of_birth:
        return "Before birth"
    months = (on.year - date_of_birth.year) * 12 + on.month - date_of_birth.month
    if on.day < date_of_birth.day:
        months -= 1
    years, months = divmod(months, 12)
    if years == 0 and months == 0:
        days = (on - date_of_birth).days
        return f"{days} day{'s' if days != 1 else ''}"
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if months:
        parts.append(f"{months} month{'s' if months != 1 else ''}")
    return " ".join(parts)


# --- Writing ------------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """Spreadsheet programs run a CSV cell that starts with = + - or @ as a formula. Prefix an apostrophe,
    as OWASP advises, so exported text stays text."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def template_csv() -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([header for _, header in COLUMNS])
    writer.writerow(TEMPLATE_EXAMPLE)
    return buffer.getvalue().encode("utf-8-sig")


def _text_cell(sheet, value: str) -> WriteOnlyCell:
    """A cell that is text whatever it starts with: openpyxl would otherwise write `=…` as a formula."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def template_xlsx() -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Chronology")
    sheet.append([_text_cell(sheet, header) for _, header in COLUMNS])
    sheet.append([_text_cell(sheet, value) for value in TEMPLATE_EXAMPLE])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


EXPORT_HEADERS = ("Agency", *APP7_HEADERS, "Several agencies that day")


@dataclass(frozen=True)
class ExportRow:
    agency: str
    event_no: int
    date: dt.date
    time: dt.time | None
    age: str
    family_member: str
    child_seen: bool
    event: str
    agency_source: str
    action_taken: str
    note: str
    several_agencies: bool


def _csv_cells(row: ExportRow) -> list:
    return [
        csv_safe(row.agency),
        row.event_no,
        row.date.strftime("%d/%m/%Y"),
        row.time.strftime("%H:%M") if row.time else "",
        row.age,
        csv_safe(row.family_member),
        "Y" if row.child_seen else "N",
        csv_safe(row.event),
        csv_safe(row.agency_source),
        csv_safe(row.action_taken),
        csv_safe(row.note),
        "Y" if row.several_agencies else "",
    ]


def export_csv_chunks(rows: Iterable[ExportRow], *, rows_per_chunk: int = 500) -> Iterator[bytes]:
    """The CSV export as a stream of byte chunks (a StreamingHttpResponse's content): the byte-order mark
    Excel needs and the headers, then `rows_per_chunk` rows at a time, so memory stays the same whatever
    the number of rows."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_HEADERS)
    encoding, pending = "utf-8-sig", 0
    for row in rows:
        writer.writerow(_csv_cells(row))
        pending += 1
        if pending == rows_per_chunk:
            yield buffer.getvalue().encode(encoding)
            buffer.seek(0)
            buffer.truncate()
            encoding, pending = "utf-8", 0
    yield buffer.getvalue().encode(encoding)


def export_csv(rows: Iterable[ExportRow]) -> bytes:
    return b"".join(export_csv_chunks(rows))


def export_xlsx(rows: Iterable[ExportRow], *, title: str) -> bytes:
    """A write-only workbook (rows streamed, not held as cell objects) with typed dates and times and
    every text as text."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Integrated chronology")
    sheet.append([_text_cell(sheet, title)])
    sheet.append([_text_cell(sheet, header) for header in EXPORT_HEADERS])
    for row in rows:
        day = WriteOnlyCell(sheet, value=row.date)
        day.number_format = "dd/mm/yyyy"
        moment = WriteOnlyCell(sheet, value=row.time)
        if row.time:
            moment.number_format = "hh:mm"
        sheet.append(
            [
                _text_cell(sheet, row.agency),
                row.event_no,
                day,
                moment,
                _text_cell(sheet, row.age),
                _text_cell(sheet, row.family_member),
                _text_cell(sheet, "Y" if row.child_seen else "N"),
                _text_cell(sheet, row.event),
                _text_cell(sheet, row.agency_source),
                _text_cell(sheet, row.action_taken),
                _text_cell(sheet, row.note),
                _text_cell(sheet, "Y" if row.several_agencies else ""),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
