#!/usr/bin/env python3
"""read_export.py FORMAT FILE -- an export file as the tests compare it.

Reads FILE with readers the project does not write (Python's csv module,
openpyxl) and prints one JSON document on stdout:
  {"sheets": N, "header": [...], "rows": [[cell, ...], ...]}
CSV cells are the text as read (the UTF-8 BOM must be there; it is
dropped). XLSX cells are [text, type]: type is openpyxl's data_type ('s'
string, 'n' number, 'b' boolean, 'd' date, 'f' formula); text is the value
as a string: numbers without a trailing .0, booleans true/false, dates
YYYY-MM-DD when the cell's format has no time, else YYYY-MM-DDTHH:MM:SS.
Rows of every sheet, each sheet's header row dropped after the first.
"""
import csv
import datetime
import io
import json
import sys

from openpyxl.utils.escape import unescape


def xlsx_text(cell):
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, datetime.datetime):
        if "h" not in (cell.number_format or "").lower():
            return v.date().isoformat()
        return v.replace(microsecond=0).isoformat()
    if isinstance(v, datetime.date):
        return v.isoformat()
    # Excel reads _xHHHH_ in a string as that character (ECMA-376
    # ST_Xstring); openpyxl 3.0 leaves it in inline strings.
    return unescape(str(v))


def read_csv(path):
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(b"\xef\xbb\xbf"):
        sys.exit("no UTF-8 BOM")
    text = data[3:].decode("utf-8")
    if not text.endswith("\r\n") or not text.split("\n", 1)[0].endswith("\r"):
        sys.exit("lines do not end in CRLF")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    return {"sheets": 1, "header": rows[0] if rows else [], "rows": rows[1:]}


def read_xlsx(path):
    import openpyxl
    wb = openpyxl.load_workbook(path, read_only=False)
    header, rows = [], []
    for n, ws in enumerate(wb.worksheets):
        for i, row in enumerate(ws.iter_rows()):
            cells = [[xlsx_text(c), c.data_type] for c in row]
            if i == 0:
                if n == 0:
                    header = [c[0] for c in cells]
                continue
            rows.append(cells)
    return {"sheets": len(wb.worksheets), "header": header, "rows": rows}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("csv", "xlsx"):
        sys.exit("usage: read_export.py csv|xlsx FILE")
    out = read_csv(sys.argv[2]) if sys.argv[1] == "csv" else read_xlsx(sys.argv[2])
    json.dump(out, sys.stdout, ensure_ascii=False)


main()
