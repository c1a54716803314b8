"""The summary's units-across sheets (Chi tiết <form>, Số liệu) head each unit's column with its code
and name the codes in a legend below the table; "So với năm trước" says why a unit has no total,
and prints no path of this machine."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from workbook_tools.demo.run import SAMPLE_PREVIOUS, run_demo
from workbook_tools.outputs.summary.figures import _code
from workbook_tools.outputs.summary.legend import LEGEND_TITLE, bands, span
from workbook_tools.outputs.summary.previous import reason, shown_folder
from workbook_tools.results.contracts import Status
from workbook_tools.results.years import UnitRow


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return run_demo(tmp_path_factory.mktemp("sheets") / "demo")


@pytest.fixture(scope="module")
def book(demo):
    return openpyxl.load_workbook(demo.collected.out_dir / "tong-hop.xlsx")


def units_csv(demo) -> list[dict[str, str]]:
    with (demo.collected.out_dir / "units.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def header_row(ws) -> int:
    return next(c.row for row in ws.iter_rows(max_col=1) for c in row if c.value == "STT")


def legend(ws) -> list[tuple[str, str]]:
    """(code, name) pairs of the legend in reading order: down each band, band after band."""
    start = next(c.row for row in ws.iter_rows(max_col=1) for c in row if str(c.value).startswith(LEGEND_TITLE))
    found = []
    for row in ws.iter_rows(min_row=start + 1):
        cells = [c for c in row if c.value not in (None, "")]
        found += [(cells[i].column, cells[i].row, cells[i].value, cells[i + 1].value) for i in range(0, len(cells), 2)]
    return [(code, name) for _col, _row, code, name in sorted(found)]


@pytest.mark.parametrize("sheet, form_id", [("Chi tiết QCDC", "qcdc-hd22"), ("Chi tiết DVCQ", "dvcq-qd248")])
def test_detail_columns_are_unit_codes_named_in_a_legend(demo, book, sheet, form_id):
    ws = book[sheet]
    header = header_row(ws)
    cells = list(ws[header])
    codes = [c.value for c in cells[7:] if c.value]
    rows = units_csv(demo)
    valid = {r["unit_code"] for r in rows if r["form_id"] == form_id and r["status"] == "valid"}
    assert set(codes) == valid and len(codes) == len(valid)
    assert all(not c.alignment.textRotation for c in cells)  # read on paper without turning it
    names = {r["unit_code"]: r["unit_name"] for r in rows}
    roster = [r["unit_code"] for r in rows if r["form_id"] == form_id and r["unit_code"] in valid]
    assert legend(ws) == [(code, names[code]) for code in roster]  # roster order
    assert ws.print_title_rows == f"${header}:${header}"
    last = max(c.row for row in ws.iter_rows() for c in row if c.value not in (None, ""))
    assert ws.print_area.endswith(f"${last}")  # the legend prints


def test_figures_columns_are_codes_and_dates_fit(demo, book):
    ws = book["Số liệu"]
    header = header_row(ws)
    labels = [c.value for c in ws[header] if c.value]
    first = labels.index("Cơ quan, đơn vị trực thuộc UBND huyện") + 1
    rows = units_csv(demo)
    names = {r["unit_code"]: r["unit_name"] for r in rows}
    assert labels[first:] == [r["unit_code"] for r in rows if r["form_id"] == "so-lieu-2023" and r["status"] != "missing"]
    assert legend(ws) == [(code, names[code]) for code in labels[first:]]
    dates = [c.value for row in ws.iter_rows(min_row=header + 1) for c in row
             if isinstance(c.value, str) and re.fullmatch(r"\d\d/\d\d/\n\d{4}", c.value)]
    assert len(dates) >= 30  # a date on two lines: "01/01/2023" never fits a unit's column
    assert ws.print_title_rows == f"${header}:${header}"


def test_figures_scope_columns_add_up_the_valid_units(demo, book):
    """Each scope column holds the sum of a count, the number of 'Có' of a yes/no, nothing for a text
    or date, over the units whose figures sheet is valid (from units.csv and indicators.csv)."""
    campaign = demo.collected.collection.campaign
    spec = campaign.form("so-lieu-2023")
    rows = units_csv(demo)
    groups = {r["unit_code"]: r["group"] for r in rows}
    valid = {r["unit_code"] for r in rows if r["form_id"] == spec.id and r["status"] == "valid"}
    with (demo.collected.out_dir / "indicators.csv").open(encoding="utf-8-sig", newline="") as handle:
        figures = [r for r in csv.DictReader(handle) if r["unit_code"] in valid]
    ws = book["Số liệu"]
    header = header_row(ws)
    labels = [c.value for c in ws[header]]
    scopes = [None] + [g.id for g in campaign.groups]  # the district, then each group
    by_label = {str(r[1].value): r for r in ws.iter_rows(min_row=header + 1) if r[1].value}
    checked = 0
    for indicator in spec.indicators():
        cells = by_label[indicator.label][3:3 + len(scopes)]
        for scope, cell in zip(scopes, cells):
            values = [r["value"] for r in figures if r["indicator_id"] == indicator.id
                      and (scope is None or groups[r["unit_code"]] == scope) and r["value"]]
            expected = {"int": lambda: sum(map(int, values)), "bool": lambda: values.count("true")}.get(
                indicator.type, lambda: None)()
            assert cell.value == expected, (indicator.id, scope, cell.value, expected)
            checked += expected is not None and expected > 0
    assert labels[3].startswith("Toàn ") and checked > 100


def test_figures_mark_a_unit_with_errors():
    def outcome(status):
        return SimpleNamespace(unit=SimpleNamespace(code="CQ02"), form=lambda _id: SimpleNamespace(status=status))
    assert _code(outcome(Status.VALID), "so-lieu") == "CQ02"
    assert _code(outcome(Status.INVALID), "so-lieu") == "CQ02*"


def test_previous_year_says_why_a_unit_has_no_total(book):
    ws = book["So với năm trước"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    headers = [i for i, r in enumerate(rows) if r[0] == "Mã" and r[-1] == "Ghi chú"]
    blocks = [i for i, r in enumerate(rows) if str(r[0]).endswith(": từng đơn vị")]
    assert len(headers) == 1 and headers[0] == blocks[0] + 1 and len(blocks) == 2  # QCDC, DVCQ
    why = {}
    for start in (headers[0], blocks[1]):
        for r in rows[start + 1:]:
            if not r[0]:
                break
            missing = r[2] is None or r[3] is None
            assert bool(r[9]) == missing, r  # a reason exactly where a total is missing
            why[(start, r[0])] = r[9]
    first = headers[0]
    assert why[(first, "03592")] == "Không có năm trước"  # new this year
    assert why[(first, "03568")].startswith("Chưa nộp")
    assert why[(first, "03550")] == "Có lỗi"
    assert all(re.fullmatch(r"(Chưa nộp|Có lỗi|Cần chọn tệp|Không có năm trước|Năm trước [a-zà-ỹ ]+)"
                            r"(; (không có năm trước|năm trước [a-zà-ỹ ]+))?", w) for w in why.values() if w)
    # one header, repeated on every printed page; DVCQ's units start a page of their own under it
    assert ws.print_title_rows == f"${first + 1}:${first + 1}"
    breaks = [b.id for b in ws.row_breaks.brk]
    assert blocks[1] in breaks
    headings = [i for i, r in enumerate(rows) if r[0] and r[1] is None and r[-1] is None]  # merged group rows
    assert headings and not any(b - 1 in headings or b - 2 in headings for b in breaks)  # never ends a page
    for start in (i for i, r in enumerate(rows) if ": điểm bình quân từng mục" in str(r[0])):
        end = next((i for i in range(start, len(rows)) if rows[i][0] is None), len(rows))
        assert not any(start < b < end for b in breaks)  # a section table is never split


def test_previous_year_prints_no_machine_path(book):
    texts = [c.value for row in book["So với năm trước"].iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(str(SAMPLE_PREVIOUS.parent) in t or re.search(r"(^|')/\w", t) for t in texts)
    assert any("thư mục kết quả 'ket-qua'" in t for t in texts)


def test_reasons():
    def before(status: str, total: str | None = "80"):
        return UnitRow("X", "Xã X", "xa", "q", status, total, "", None, None, "", "")
    assert reason("valid", before("valid")) == ""
    assert reason("missing", before("valid")) == "Chưa nộp"
    assert reason("invalid", None) == "Có lỗi; không có năm trước"
    assert reason("valid", None) == "Không có năm trước"
    assert reason("valid", before("invalid", None)) == "Năm trước có lỗi"
    assert reason("needs_choice", before("missing", None)) == "Cần chọn tệp; năm trước chưa nộp"


def test_folders_are_printed_relative_to_the_campaign(tmp_path):
    home = tmp_path / "dot-2023"
    assert shown_folder(home / "tong-hop" / "2022", home) == "tong-hop/2022"
    assert shown_folder(tmp_path / "dot-2022" / "tong-hop", home) == "../dot-2022/tong-hop"
    assert shown_folder(Path("/somewhere/else/ket-qua"), home) == "ket-qua"


def test_legend_bands_cover_the_table_and_hold_their_codes():
    widths = [6.0, 48.0] + [8.0] * 5 + [5.5] * 35
    found = bands(widths, ["03549", "CQ01"])
    assert len(found) == 4 and found[0].code_first == 0 and found[-1].name_last == len(widths) - 1
    assert all(b.code_last < b.name_first <= b.name_last for b in found)
    assert all(a.name_last + 1 == b.code_first for a, b in zip(found, found[1:]))  # no gap, no overlap
    assert all(span(widths[b.code_first:b.code_last + 1]) >= 5.5 for b in found)
    assert len(bands([6.0, 20.0, 5.5], ["03549"])) == 1  # a narrow table: one band


def top(page: str, lines: int = 4) -> str:
    """The first lines of a printed page, as one line."""
    shown = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
    return " ".join(shown[:lines])


def test_pages_as_libreoffice_prints_them(office, demo, book, tmp_path):
    """The sheet's own page breaks are the only ones (its rows are as tall as it reckons), every page
    of these sheets starts with its header row, and the legends print."""
    from tests.papers import pdf_pages

    pages = pdf_pages(office, demo.collected.out_dir / "tong-hop.xlsx", tmp_path)
    ws = book["So với năm trước"]
    mine = [p for p in pages if re.search(r"So với năm trước\s+Trang \d+/", p)]
    assert len(mine) == len(ws.row_breaks.brk) + 1
    for page in mine[1:]:
        assert all(word in top(page) for word in ("Mã", "Đơn vị", "Ghi chú")), page[:300]
    for sheet in ("Chi tiết QCDC", "Chi tiết DVCQ", "Số liệu"):
        printed = [p for p in pages if re.search(sheet + r"\s+Trang \d+/", p)]
        assert printed and all(all(w in top(p) for w in ("STT", "03549", "CQ18")) for p in printed[1:]), sheet
        assert LEGEND_TITLE in printed[-1] and "Văn phòng HĐND và UBND huyện" in printed[-1]
