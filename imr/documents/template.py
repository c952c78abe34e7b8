"""The App 7 chronology template as a spreadsheet (the IMR page's `imr_chronology_app7_template`)."""

from __future__ import annotations

from .contexts import CHRONOLOGY_GUIDANCE, app7_headers

# --- The App 7 chronology template as a spreadsheet ---------------------------------------------------

TEMPLATE_ROWS = 2_000  # rows formatted in advance (dates, times, Y/N); authors may type below them too
COLUMN_WIDTHS = {"Event": 60, "Action taken": 40, "Note": 30, "Agency source to overview": 22}


def app7_template_xlsx() -> bytes:
    """The App 7 chronology template (Chronology.v1/2010) as a workbook an author fills in and imports:
    the ten columns in the appendix's order on the first sheet, the date and time columns formatted, the
    Y/N column limited to Y or N, text wrapped; what goes in each column on a second sheet. The import
    (`imr.chronology_io.parse_chronology`) reads it as it comes, "Age of Child" left to the portal."""
    import io

    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    headers = app7_headers()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Chronology"
    sheet.append(headers)
    sheet.freeze_panes = "A2"
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, header in enumerate(headers, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.alignment = wrap
        sheet.column_dimensions[letter].width = COLUMN_WIDTHS.get(header, 14)
        number_format = {"Date": "dd/mm/yyyy", "Time": "hh:mm"}.get(header)
        if number_format:
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = number_format
    seen = headers.index("Child seen/wishes sought or expressed (Y/N)") + 1
    letter = get_column_letter(seen)
    yes_no = DataValidation(type="list", formula1='"Y,N"', allow_blank=True, showErrorMessage=True)
    yes_no.error = "Enter Y or N"
    yes_no.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    sheet.add_data_validation(yes_no)
    guide = workbook.create_sheet("How to fill it in")
    guide.append(["Column", "What goes in it"])
    guide["A1"].font = guide["B1"].font = Font(bold=True)
    for header in headers:
        guide.append([header, CHRONOLOGY_GUIDANCE.get(header, "")])
    guide.column_dimensions["A"].width = 40
    guide.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
