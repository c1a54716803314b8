"""Hostile and broken files: each gets a verdict and a reason, the run goes on, nothing is lost.

Every file of the corpus is built here (no binaries in git). Memory bounds are asserted with
tracemalloc (allocation counts, not timings); times are printed by ``benchmarks/hostile.py``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import random
import struct
import tracemalloc
import unicodedata
import zipfile
from pathlib import Path

import pytest

from tests.conftest import SAMPLE
from workbook_tools.collect.cache import CACHE_FOLDER, CACHE_NAME
from workbook_tools.collect.pipeline import collect, collect_campaign
from workbook_tools.demo.fill import fast_fill, sample_figures, sample_scores, write_synthetic_campaign
from workbook_tools.form.signing import campaign_key
from workbook_tools.generate.run import generate_campaign
from workbook_tools.read.check import check_file
from workbook_tools.spec.campaign import load_campaign

ZONE = dt.timezone(dt.timedelta(hours=7))
ON_TIME = dt.datetime(2023, 11, 5, 9, 0, tzinfo=ZONE)
MB = 1_000_000


# ----- builders -------------------------------------------------------------------------------

def filled(campaign, generated, code: str = "03550", seed: int = 1) -> bytes:
    src = next(f.path for f in generated.files if f.unit.code == code).read_bytes()
    rng = random.Random(seed)
    return fast_fill(campaign, src, sample_scores(campaign, rng, 0.8), sample_figures(campaign, rng), ON_TIME)


def replace_part(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, content if info.filename == name else zin.read(info.filename))
    return out.getvalue()


def add_streamed_part(data: bytes, name: str, head: bytes, unit: bytes, repeat: int, tail: bytes) -> bytes:
    """Add a part of head + unit * repeat + tail, written in chunks (bounded memory)."""
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as zout:
        with zout.open(name, "w", force_zip64=True) as handle:
            handle.write(head)
            block = unit * max(1, 1_000_000 // len(unit))
            written = 0
            while written < repeat:
                count = min(repeat - written, len(block) // len(unit))
                handle.write(block[:count * len(unit)])
                written += count
            handle.write(tail)
    return out.getvalue()


def bomb_part(data: bytes, name: str, size: int) -> bytes:
    """Replace a part by `size` bytes that compress a thousandfold (a classic zip bomb)."""
    stripped = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(stripped, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != name:
                zout.writestr(info.filename, zin.read(info.filename))
    return add_streamed_part(stripped.getvalue(), name, b"<x>", b"\x20", size, b"</x>")


def lying_sizes(data: bytes, name: str) -> bytes:
    """Declare a tiny uncompressed size for a part that really inflates to much more."""
    raw = bytearray(data)
    encoded = name.encode()
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := raw.find(signature, start)) >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if raw[name_at:name_at + len(encoded)] == encoded:
                struct.pack_into("<I", raw, at + size_at, 100)
            start = at + 4
    return bytes(raw)


def many_parts(count: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        zout.writestr("xl/workbook.xml", b"<workbook/>")
        for index in range(count):
            zout.writestr(f"xl/media/p{index}.bin", b"x")
    return out.getvalue()


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                             for i in range(1, 10))
                  + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    b'<si><t>&lol9;</t></si></sst>')
EXTERNAL_ENTITY = (b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                   b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties">'
                   b'<property name="wt_unit_code">&xxe;</property></Properties>')
PARAMETER_ENTITY = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY % remote SYSTEM "http://example.invalid/x.dtd">'
                    b'%remote;]><workbook/>')


# ----- the corpus --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def good(campaign, generated) -> bytes:
    return filled(campaign, generated)


@pytest.fixture(scope="module")
def key(generated):
    from workbook_tools.spec.campaign import load_campaign as _load
    return campaign_key(Path(_load(SAMPLE).secret_key_file))[0]


BOMBS = {
    "bomb_sheet.xlsx": lambda good: bomb_part(good, "xl/worksheets/sheet2.xml", 300 * MB),
    "bomb_strings.xlsx": lambda good: bomb_part(good, "xl/sharedStrings.xml", 120 * MB),
    "many_rows.xlsx": lambda good: _many_rows(good),
    "lying_sizes.xlsx": lambda good: lying_sizes(bomb_part(good, "xl/worksheets/sheet3.xml", 50 * MB),
                                                 "xl/worksheets/sheet3.xml"),
    "many_parts.xlsx": lambda good: many_parts(3000),
}


def _many_rows(good: bytes) -> bytes:
    """A QCDC sheet of 200,000 rows of small cells: within the size and ratio limits, over the cell cap."""
    rows = b"".join(b"<row><c><v>%d</v></c></row>" % (i * 7919 % 1_000_003) for i in range(200_000))
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main"><sheetData>' + rows + b"</sheetData></worksheet>")
    return replace_part(good, "xl/worksheets/sheet2.xml", sheet)


XML_ATTACKS = {
    "billion_laughs.xlsx": ("xl/sharedStrings.xml", BILLION_LAUGHS),
    "external_entity.xlsx": ("docProps/custom.xml", EXTERNAL_ENTITY),
    "parameter_entity.xlsx": ("xl/workbook.xml", PARAMETER_ENTITY),
    "utf16_part.xlsx": ("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-16"?><workbook/>'.encode("utf-16")),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_zip_bombs_are_rejected_with_bounded_memory(campaign, good, key, name):
    data = BOMBS[name](good)
    assert len(data) < 5 * MB  # small on disk ...
    tracemalloc.start()
    try:
        sub = check_file(campaign, Path(name), name, data, key)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [p.code for p in sub.problems] == ["WB_UNREADABLE"], sub.problems
    assert peak < 100 * MB, f"{name}: peak {peak / MB:.0f} MB"
    reason = sub.problems[0].message
    assert any(word in reason for word in ("zip bomb", "quá nhiều", "bị hỏng", "độc hại")), reason
    if name == "many_rows.xlsx":
        assert "quá nhiều ô" in reason  # parsed as a stream and stopped at the cell cap


@pytest.mark.parametrize("name", sorted(XML_ATTACKS))
def test_xml_attacks_are_refused_before_parsing(campaign, good, key, name):
    part, content = XML_ATTACKS[name]
    sub = check_file(campaign, Path(name), name, replace_part(good, part, content), key)
    codes = [p.code for p in sub.problems]
    assert codes == ["WB_UNREADABLE"], codes
    assert "DTD" in sub.problems[0].message or "bảng mã" in sub.problems[0].message
    assert "root:" not in str(sub)  # /etc/passwd never read


def test_mixed_hostile_inbox(campaign, generated, good, tmp_path, monkeypatch):
    """Every kind of bad file in one inbox: each has a verdict and a reason; valid files still count."""
    inbox = tmp_path / "inbox"
    outside = tmp_path / "outside"
    (inbox / "a").mkdir(parents=True)
    outside.mkdir()
    files = {name: build(good) for name, build in BOMBS.items()}
    files |= {name: replace_part(good, part, content) for name, (part, content) in XML_ATTACKS.items()}
    files |= {
        "report.pdf.xlsx": b"%PDF-1.4\n%%EOF\n",
        "photo.xlsx": b"\xff\xd8\xff\xe0" + os.urandom(2000),
        "letter.xlsx": _docx(),
        "empty.xlsx": b"",
        "truncated.xlsx": good[: len(good) // 2],
        "protected.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 5000 + "EncryptionInfo".encode("utf-16-le"),
        "old.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 700,
        "calc.ods": b"PK\x03\x04" + b"\x00" * 200,
        unicodedata.normalize("NFD", "Xã Sì Lở Lầu – bản cuối.xlsx"): good,
        "=cmd|' -C calc'!A0.xlsx": b"",
        "line\nbreak.xlsx": b"junk",
    }
    for name, data in files.items():
        (inbox / "a" / name).write_bytes(data)
    (inbox / "folder.xlsx").mkdir()
    (outside / "secret.xlsx").write_bytes(filled(campaign, generated, "CQ02", 9))
    (inbox / "link.xlsx").symlink_to(outside / "secret.xlsx")
    (inbox / "linkdir").symlink_to(outside, target_is_directory=True)
    (inbox / "locked.xlsx").write_bytes(filled(campaign, generated, "CQ02", 10))
    deep = inbox.joinpath(*["thư mục rất dài " * 6] * 20)
    deep.mkdir(parents=True)
    (deep / "sâu.xlsx").write_bytes(filled(campaign, generated, "CQ02", 11))
    assert len(str(deep / "sâu.xlsx")) > 2000

    real_open = __import__("workbook_tools.read.inbox", fromlist=["open_no_follow"]).open_no_follow

    def deny(path):
        if Path(path).name == "locked.xlsx":
            raise PermissionError(13, "Permission denied")
        return real_open(path)
    monkeypatch.setattr("workbook_tools.read.inbox.open_no_follow", deny)

    before = _tree(inbox)
    collection = collect(campaign, inbox)
    assert _tree(inbox) == before
    verdicts = {o.found.rel: (o.verdict, o.reason, o.unit_code) for o in collection.files}
    found = sum(1 for _ in inbox.rglob("*") if _.is_file() or _.is_symlink()) + 1  # + folder.xlsx
    assert len(verdicts) == found
    counts = {v: sum(1 for x in verdicts.values() if x[0] == v)
              for v in ("used", "superseded", "rejected", "attached", "opened", "ignored")}
    assert sum(counts.values()) == len(collection.files)
    for rel, (verdict, reason, _) in verdicts.items():
        assert verdict in counts and (reason or verdict == "used"), rel
    nfc_name = "a/" + unicodedata.normalize("NFC", "Xã Sì Lở Lầu – bản cuối.xlsx")
    assert verdicts[nfc_name][0] == "used" and verdicts[nfc_name][2] == "03550"
    for name in list(BOMBS) + list(XML_ATTACKS) + ["report.pdf.xlsx", "photo.xlsx", "letter.xlsx", "empty.xlsx",
                                                   "truncated.xlsx", "protected.xlsx", "old.xls", "calc.ods",
                                                   "=cmd|' -C calc'!A0.xlsx", "line\nbreak.xlsx"]:
        assert verdicts["a/" + name][0] == "rejected", name
    assert "mật khẩu" in verdicts["a/protected.xlsx"][1]
    assert "xl/workbook.xml" in verdicts["a/letter.xlsx"][1]
    assert verdicts["link.xlsx"][0] == "rejected" and "liên kết" in verdicts["link.xlsx"][1]
    assert verdicts["linkdir"][0] == "rejected" and not any(r.startswith("linkdir/") for r in verdicts)
    assert verdicts["folder.xlsx/"][0] == "rejected" and "thư mục" in verdicts["folder.xlsx/"][1]
    assert verdicts["locked.xlsx"][0] == "rejected" and "không đọc được tệp" in verdicts["locked.xlsx"][1]
    deep_rel = next(r for r in verdicts if r.endswith("sâu.xlsx"))
    assert verdicts[deep_rel][0] == "used"
    cq02 = next(u for u in collection.units if u.unit.code == "CQ02")
    assert cq02.file is not None and cq02.file.found.rel == deep_rel  # never the symlinked file


def test_size_cap_from_campaign(tmp_path, good):
    folder = tmp_path / "dot"
    path = write_synthetic_campaign(folder, 4, SAMPLE)
    path.write_text(path.read_text(encoding="utf-8") + "max_file_mb: 1\n", encoding="utf-8")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "big.xlsx").write_bytes(good + os.urandom(1_200_000))
    (inbox / "ok.xlsx").write_bytes(good)
    collection = collect(load_campaign(path), inbox)
    verdicts = {o.found.rel: o for o in collection.files}
    assert verdicts["big.xlsx"].verdict == "rejected" and "quá lớn" in verdicts["big.xlsx"].reason
    assert "giới hạn 1 MB" in verdicts["big.xlsx"].reason and verdicts["big.xlsx"].found.sha256 == ""
    assert verdicts["ok.xlsx"].verdict == "rejected"  # another campaign's key: signature fails


def test_forged_identity_and_unknown_unit(campaign, generated, good, key, tmp_path):
    """Editing the unit code in both embedded copies breaks the signature; a signed file of a unit
    removed from the roster is 'unknown unit'."""
    import openpyxl

    from tests.test_collect import set_identity
    from workbook_tools.demo.fill import fill_workbook

    src = next(f.path for f in generated.files if f.unit.code == "03550")
    forged = fill_workbook(campaign, src, tmp_path / "f.xlsx", {}, {},
                           edit=lambda b: set_identity(b, "unit_code", "03553"))
    sub = check_file(campaign, forged, key=key)
    assert [p.code for p in sub.problems] == ["WB_SIGNATURE_BAD"] and "03553" in sub.problems[0].message
    no_key = check_file(campaign, forged)  # without the key the forgery is not detectable ...
    assert no_key.unit_code == "03553"
    signed_off = fill_workbook(campaign, src, tmp_path / "s.xlsx", {}, {},
                               edit=lambda b: set_identity(b, "signature", "0" * 64))
    assert [p.code for p in check_file(campaign, signed_off, key=key).problems] == ["WB_SIGNATURE_BAD"]
    folder = tmp_path / "dot"
    shrunk = folder / "campaign.yaml"
    folder.mkdir()
    text = SAMPLE.read_text(encoding="utf-8").replace("../../criteria_specs/", str(SAMPLE.parents[2] / "criteria_specs") + "/")
    shrunk.write_text(text.replace("roster: roster.csv", f"roster: roster.csv\nsecret_key_file: {Path(campaign.secret_key_file)}"),
                      encoding="utf-8")
    (folder / "roster.csv").write_text("\n".join(line for line in (SAMPLE.parent / "roster.csv").read_text(
        encoding="utf-8").splitlines() if not line.startswith("03550")) + "\n", encoding="utf-8")
    other = load_campaign(shrunk)
    sub = check_file(other, Path("g.xlsx"), data=good, key=key)
    assert [p.code for p in sub.problems] == ["WB_UNKNOWN_UNIT"]
    assert openpyxl  # imported for set_identity's workbook type


def test_resubmission_raises_no_warning(campaign, generated, tmp_path):
    """Two different files from the same generated form: the unit sent a corrected file, the newest counts."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "tu-xa-a.xlsx").write_bytes(filled(campaign, generated, "03550", 1))
    late = dt.datetime(2023, 11, 6, tzinfo=ZONE)
    src = next(f.path for f in generated.files if f.unit.code == "03550").read_bytes()
    rng = random.Random(2)
    (inbox / "tu-xa-b.xlsx").write_bytes(fast_fill(campaign, src, sample_scores(campaign, rng, 0.9),
                                                   sample_figures(campaign, rng), late))
    for name, moment in (("tu-xa-a.xlsx", ON_TIME), ("tu-xa-b.xlsx", late)):  # received when saved
        os.utime(inbox / name, (moment.timestamp(), moment.timestamp()))
    collection = collect(campaign, inbox)
    verdicts = {o.found.rel: o.verdict for o in collection.files}
    assert verdicts == {"tu-xa-a.xlsx": "superseded", "tu-xa-b.xlsx": "used"}
    assert not [r for r in collection.issues if r.unit_code == "03550" and r.problem.severity == "warning"]


def test_added_and_reordered_sheets(campaign, generated, key, tmp_path):
    from workbook_tools.demo.fill import fill_workbook

    src = next(f.path for f in generated.files if f.unit.code == "03550")

    def edit(book):
        book.copy_worksheet(book["QCDC"])
        book.move_sheet("DVCQ", offset=-1)
    path = fill_workbook(campaign, src, tmp_path / "x.xlsx", sample_scores(campaign, random.Random(3), 0.8),
                         sample_figures(campaign, random.Random(3)), edit=edit)
    sub = check_file(campaign, path, key=key)
    codes = [p.code for p in sub.problems]
    assert "WB_SHEET_EXTRA" in codes and "WB_SHEETS_REORDERED" in codes and sub.ok
    assert "QCDC Copy" in next(p for p in sub.problems if p.code == "WB_SHEET_EXTRA").message


def test_mixed_inbox_gives_same_summary_as_clean_inbox(tmp_path):
    """A few hundred valid files plus dozens of hostile ones: same results for the valid units."""
    path = write_synthetic_campaign(tmp_path / "dot", 100, SAMPLE)
    issued = generate_campaign(path, tmp_path / "issued")
    campaign = issued.campaign
    clean, mixed = tmp_path / "clean", tmp_path / "mixed"
    for folder in (clean, mixed):
        folder.mkdir()
    rng = random.Random(7)
    good = None
    for index, item in enumerate(issued.files):
        src = item.path.read_bytes()
        for version in range(3):  # three versions each: two superseded
            saved = ON_TIME - dt.timedelta(days=3 - version, minutes=index)
            data = fast_fill(campaign, src, sample_scores(campaign, rng, rng.uniform(0.5, 0.95)),
                             sample_figures(campaign, rng), saved)
            for folder in (clean, mixed):
                (folder / f"{item.unit.code}_v{version}.xlsx").write_bytes(data)
            good = data
    hostile = {name: build(good) for name, build in BOMBS.items() if name != "bomb_sheet.xlsx"}
    hostile |= {name: replace_part(good, part, content) for name, (part, content) in XML_ATTACKS.items()}
    for index in range(30):
        hostile[f"junk_{index}.xlsx"] = os.urandom(500 + index)
    for name, data in hostile.items():
        (mixed / name).write_bytes(data)
    a = collect_campaign(path, clean, tmp_path / "out-clean").collection
    b = collect_campaign(path, mixed, tmp_path / "out-mixed").collection
    assert len(b.files) == len(a.files) + len(hostile) and len(a.files) == 300
    assert b.count("rejected") == len(hostile) and a.count("used") == b.count("used") == 100
    for name in ("units.csv", "scores.csv", "indicators.csv"):
        assert (tmp_path / "out-clean" / name).read_bytes() == (tmp_path / "out-mixed" / name).read_bytes(), name


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        zout.writestr("[Content_Types].xml", "<Types/>")
        zout.writestr("word/document.xml", "<document/>")
    return out.getvalue()


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


def test_killed_run_leaves_complete_outputs(campaign, generated, tmp_path):
    """SIGKILL a collect run at several moments: every output is still a complete file, old or new."""
    import csv
    import signal
    import subprocess
    import sys
    import time

    import docx
    import openpyxl

    inbox, out, reference = tmp_path / "inbox", tmp_path / "out", tmp_path / "reference"
    inbox.mkdir()
    (inbox / "a.xlsx").write_bytes(filled(campaign, generated, "03550", 1))
    command = [sys.executable, "-m", "workbook_tools", "collect", str(SAMPLE), "--inbox", str(inbox)]
    subprocess.run(command + ["--out", str(out)], check=True, capture_output=True)
    old = _outputs(out)
    for index in range(6):
        (inbox / f"b{index}.xlsx").write_bytes(filled(campaign, generated, "CQ02", index))
    subprocess.run(command + ["--out", str(reference)], check=True, capture_output=True)
    new = _outputs(reference)
    for delay in (0.2, 0.5, 0.8, 1.1, 1.4):
        process = subprocess.Popen(command + ["--out", str(out)], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        final = _outputs(out)
        assert set(old) & set(new) <= set(final) <= set(old) | set(new), delay  # messages of fixed units go
        for name, data in final.items():
            if name.endswith((".csv", ".txt")):
                assert data in (old.get(name), new.get(name)), (delay, name)
                list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
            elif name.endswith(".docx"):
                docx.Document(io.BytesIO(data))  # a complete document (the ranking tables)
            else:
                openpyxl.load_workbook(io.BytesIO(data))  # a complete workbook
    subprocess.run(command + ["--out", str(out)], check=True, capture_output=True)
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [CACHE_FOLDER]  # stale temporaries gone
    assert [p.name for p in (out / CACHE_FOLDER).iterdir()] == [CACHE_NAME]


def _outputs(folder: Path) -> dict[str, bytes]:
    """Every output file under folder (messages in tin-nhan/ too), but temporary ones."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)}


def test_formula_like_text_from_files_stays_text(campaign, generated, tmp_path):
    """Cell text that looks like a formula reaches the CSVs and the summary only as inert text."""
    import csv

    import openpyxl

    from workbook_tools.form.layout import plan_criteria

    src = next(f.path for f in generated.files if f.unit.code == "03550").read_bytes()
    rng = random.Random(4)
    scores = sample_scores(campaign, rng, 0.8)
    scores["qcdc-hd22"]["a.1"] = "@SUM(1+1)"
    scores["qcdc-hd22"]["a.2"] = "＝1+2"
    scores["dvcq-qd248"]["i.1"] = "-HYPERLINK(\"http://x\")"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "x.xlsx").write_bytes(fast_fill(campaign, src, scores, sample_figures(campaign, rng), ON_TIME))
    out = tmp_path / "out"
    collect_campaign(SAMPLE, inbox, out)
    with (out / "issues.csv").open(encoding="utf-8-sig", newline="") as handle:
        values = {(r["sheet"], r["cell"]): r["value"] for r in csv.DictReader(handle)
                  if r["code"] == "SCORE_NOT_NUMBER"}
    layout = plan_criteria(campaign.form("qcdc-hd22"), campaign.year)
    assert values[("QCDC", layout.score_cell("a.1"))] == "'@SUM(1+1)"
    assert values[("QCDC", layout.score_cell("a.2"))] == "'＝1+2"
    assert values[("DVCQ", "E14")] == "'-HYPERLINK(\"http://x\")"
    sheet = openpyxl.load_workbook(out / "tong-hop.xlsx")["Lỗi cần xử lý"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value in ("@SUM(1+1)", "＝1+2", "-HYPERLINK(\"http://x\")")]
    assert len(cells) == 3 and all(c.data_type == "s" for c in cells)


def test_rich_text_shaped_cell_text_stays_text(campaign, generated, tmp_path):
    """xlsxwriter copies '<r>...</r>' text into the file as raw XML: text from a returned file
    shaped like that must neither break the summary nor be read as formatting."""
    import openpyxl

    from workbook_tools.paper.xlsx_compat import TextWorkbook

    hostile = '<r><t>1</t></r><r><t xml:space="preserve">"/><x:bad'
    plain = TextWorkbook(str(tmp_path / "plain.xlsx"), {"constant_memory": True})
    ws = plain.add_worksheet("A")
    ws.write_string(0, 0, "<r><t>a</t></r>")
    ws.write(1, 0, "<r><t>b</t></r>")
    ws.merge_range(2, 0, 2, 3, "<r><t>c</t></r>")
    plain.close()
    sheet = openpyxl.load_workbook(tmp_path / "plain.xlsx")["A"]
    assert [sheet.cell(r, 1).value for r in (1, 2, 3)] == [f"\u200b<r><t>{x}</t></r>" for x in "abc"]

    src = next(f.path for f in generated.files if f.unit.code == "03550").read_bytes()
    rng = random.Random(5)
    scores = sample_scores(campaign, rng, 0.8)
    scores["qcdc-hd22"]["a.1"] = hostile + "</r>"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "x.xlsx").write_bytes(fast_fill(campaign, src, scores, sample_figures(campaign, rng), ON_TIME))
    out = tmp_path / "out"
    collect_campaign(SAMPLE, inbox, out)
    sheet = openpyxl.load_workbook(out / "tong-hop.xlsx")["Lỗi cần xử lý"]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.endswith(hostile + "</r>") for t in texts)
