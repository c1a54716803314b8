"""One-shot LibreOffice UNO job runner, driven by ``tests/office.py``.

Run by Debian's ``/usr/bin/python3`` (the only interpreter with ``import uno``),
never by the project venv. Reads one JSON job from stdin::

    {"pipe": "NAME", "op": "read_cells", ...op arguments...}

connects to the soffice listener started by ``office.Office`` on
``uno:pipe,name=NAME;urp;StarOffice.ComponentContext``, performs the op on a
hidden document and prints one JSON result on stdout. Any failure ends with a
traceback on stderr and a non-zero exit status.

All paths in a job are private copies made by ``office.py``: this script
opens and writes exactly the paths it is given.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import uno
from com.sun.star.beans import PropertyValue

XLSX_FILTER = "Calc MS Excel 2007 XML"
PDF_FILTER = "calc_pdf_Export"
ODS_FILTER = "calc8"


def prop(name: str, value: Any) -> PropertyValue:
    """Build a UNO PropertyValue."""
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def connect(pipe: str) -> tuple[Any, Any]:
    """Return (remote component context, Desktop) for the named pipe."""
    local_ctx = uno.getComponentContext()
    resolver = local_ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local_ctx
    )
    ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    return ctx, desktop


def load(desktop: Any, path: str) -> Any:
    """Open a document hidden (it still gets a frame and a controller)."""
    url = uno.systemPathToFileUrl(path)
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
    if doc is None:
        raise RuntimeError(f"LibreOffice could not open {path}")
    return doc


def store(doc: Any, path: str, filter_name: str) -> None:
    """Write the document to path with the given export filter."""
    url = uno.systemPathToFileUrl(path)
    doc.storeToURL(url, (prop("FilterName", filter_name), prop("Overwrite", True)))


def close(doc: Any) -> None:
    """Close the document, discarding changes; best effort, never raises.

    A failure here must not hide the error that ended the job (after a crash
    the bridge is gone and every call fails).
    """
    try:
        doc.close(True)
    except Exception:  # CloseVetoException, or a dead bridge
        try:
            doc.dispose()
        except Exception as err:
            print(f"uno_worker: could not close the document: {err}", file=sys.stderr)


@contextmanager
def opened(desktop: Any, path: str) -> Iterator[Any]:
    """Load a document for the duration of a with-block, closing it whatever happens."""
    doc = load(desktop, path)
    try:
        yield doc
    finally:
        close(doc)


def cell_of(doc: Any, sheet_name: str, ref: str) -> Any:
    """Return the cell at A1 reference ``ref`` on the named sheet."""
    sheets = doc.Sheets
    if not sheets.hasByName(sheet_name):
        raise KeyError(f"no sheet named {sheet_name!r}; have {list(sheets.ElementNames)}")
    return sheets.getByName(sheet_name).getCellRangeByName(ref)


def cell_value(cell: Any) -> float | str | None:
    """Number for values and numeric results, string for text, None for empty."""
    kind = cell.getType().value  # EMPTY, VALUE, TEXT or FORMULA
    if kind == "EMPTY":
        return None
    if kind == "VALUE":
        return float(cell.getValue())
    if kind == "TEXT":
        return cell.getString()
    # FORMULA: com.sun.star.sheet.FormulaResult VALUE=1, STRING=2, ERROR=4
    if cell.FormulaResultType2 == 1:
        return float(cell.getValue())
    return cell.getString()  # string result, or the error text such as "#DIV/0!"


def op_ping(ctx: Any, desktop: Any, job: dict) -> dict:
    """Answer once the listener is reachable."""
    return {"ok": True}


def op_fill_recalc_save(ctx: Any, desktop: Any, job: dict) -> dict:
    """Set values through the API, recalculate all, store as xlsx."""
    with opened(desktop, job["src"]) as doc:
        for sheet_name, cells in job["values"].items():
            for ref, value in cells.items():
                cell = cell_of(doc, sheet_name, ref)
                if isinstance(value, str):
                    cell.setString(value)
                else:
                    cell.setValue(float(value))
        doc.calculateAll()
        store(doc, job["dst"], XLSX_FILTER)
    return {"ok": True}


def op_recalc_save(ctx: Any, desktop: Any, job: dict) -> dict:
    """Recalculate all and store as xlsx."""
    with opened(desktop, job["src"]) as doc:
        doc.calculateAll()
        store(doc, job["dst"], XLSX_FILTER)
    return {"ok": True}


def op_read_cells(ctx: Any, desktop: Any, job: dict) -> dict:
    """Return the typed value of each requested cell."""
    with opened(desktop, job["src"]) as doc:
        if job.get("recalc", True):
            doc.calculateAll()
        values = {
            sheet_name: {ref: cell_value(cell_of(doc, sheet_name, ref)) for ref in refs}
            for sheet_name, refs in job["cells"].items()
        }
    return {"values": values}


def enter_one(doc: Any, dispatcher: Any, sheet_name: str, ref: str, text: str) -> bool:
    """Select a cell and type text into it; True if its content changed."""
    controller = doc.getCurrentController()
    sheet = doc.Sheets.getByName(sheet_name)
    controller.setActiveSheet(sheet)
    cell = cell_of(doc, sheet_name, ref)
    controller.select(cell)
    before = cell.getFormula()
    dispatcher.executeDispatch(
        controller.getFrame(), ".uno:EnterString", "", 0, (prop("StringName", text),)
    )
    return cell.getFormula() != before


def reopen(desktop: Any, doc: Any, scratch: str) -> Any:
    """Save doc losslessly (ODS) to scratch, close it and open the copy.

    After Calc refuses an entry (protected cell, validation error) it leaves
    the view with an unanswered message box in headless mode, and the next
    refusal in the same view aborts soffice. A fresh view has no such state.
    """
    store(doc, scratch, ODS_FILTER)
    close(doc)
    return load(desktop, scratch)


def op_enter_strings(ctx: Any, desktop: Any, job: dict) -> dict:
    """Type strings into cells as a user would, then store as xlsx."""
    dispatcher = ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.DispatchHelper", ctx
    )
    scratch_dir = os.path.dirname(job["src"])
    doc = load(desktop, job["src"])
    changed: dict[str, dict[str, bool]] = {}
    reopens = 0
    try:
        for sheet_name, cells in job["entries"].items():
            changed[sheet_name] = {}
            for ref, text in cells.items():
                ok = enter_one(doc, dispatcher, sheet_name, ref, text)
                changed[sheet_name][ref] = ok
                if not ok:
                    reopens += 1
                    scratch = os.path.join(scratch_dir, f"reopen-{reopens}.ods")
                    doc = reopen(desktop, doc, scratch)
        store(doc, job["dst"], XLSX_FILTER)
    finally:
        close(doc)
    return {"changed": changed}


def op_sheet_info(ctx: Any, desktop: Any, job: dict) -> dict:
    """List sheets with their protection and visibility."""
    with opened(desktop, job["src"]) as doc:
        sheets = []
        for name in doc.Sheets.ElementNames:
            sheet = doc.Sheets.getByName(name)
            sheets.append(
                {"name": name, "protected": bool(sheet.isProtected()), "visible": bool(sheet.IsVisible)}
            )
    return {"sheets": sheets}


def op_to_pdf(ctx: Any, desktop: Any, job: dict) -> dict:
    """Export the document as PDF."""
    with opened(desktop, job["src"]) as doc:
        text = doc.supportsService("com.sun.star.text.TextDocument")
        store(doc, job["pdf"], "writer_pdf_Export" if text else PDF_FILTER)
    return {"ok": True}


def op_resave_docx(ctx: Any, desktop: Any, job: dict) -> dict:
    """Open a Word document in Writer and store it again as .docx (what a unit on LibreOffice does)."""
    with opened(desktop, job["src"]) as doc:
        store(doc, job["dst"], "MS Word 2007 XML")
    return {"ok": True}


OPS: dict[str, Callable[[Any, Any, dict], dict]] = {
    "resave_docx": op_resave_docx,
    "ping": op_ping,
    "fill_recalc_save": op_fill_recalc_save,
    "recalc_save": op_recalc_save,
    "read_cells": op_read_cells,
    "enter_strings": op_enter_strings,
    "sheet_info": op_sheet_info,
    "to_pdf": op_to_pdf,
}


def main() -> int:
    """Read one job from stdin, run it, print its JSON result."""
    job = json.load(sys.stdin)
    op = OPS.get(job.get("op", ""))
    if op is None:
        print(f"unknown op {job.get('op')!r}; known: {sorted(OPS)}", file=sys.stderr)
        return 2
    ctx, desktop = connect(job["pipe"])
    result = op(ctx, desktop, job)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
