"""Fuzzing the collector with mutated returned workbooks (property-based, hypothesis).

A valid filled workbook is mutated at four levels: the bytes of the zip, the text of its XML
parts, the value and type of one score cell, and whole inboxes of such files. Whatever the
mutation, the collector must never crash, never hang and always account for the file, and a
score is either read exactly (the value the cell says) or reported at its cell: never silently
replaced by another number.

Library bugs this fuzzing found are reproduced by the ``test_bug_*`` tests: each xfails (with
its reason, shown by ``-ra``) while the bug is there and passes once it is fixed. The ``bugs``
fixture probes which are still present; only for those do the fuzz tests excuse exactly that
failure on exactly the inputs known to trigger it (an ``event`` in the hypothesis statistics),
so a fixed bug makes the fuzz tests strict again without editing this file.

Examples are derandomized (the same inputs every run); the workbook itself differs between runs
only in its generated file id, times and signature.
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import itertools
import math
import posixpath
import random
import re
import signal
import tempfile
import threading
import time
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from workbook_tools.collect.pipeline import collect
from workbook_tools.demo.fill import fill_workbook, sample_figures, sample_scores
from workbook_tools.form.layout import cell_ref, plan_criteria
from workbook_tools.form.signing import campaign_key
from workbook_tools.problems import ERROR, WARNING
from workbook_tools.read.check import Submission, check_file, limits_for
from workbook_tools.read.xlsx import read_xlsx
from workbook_tools.spec.criteria import CriteriaSpec
from workbook_tools.spec.scoring import round2, table_total

UNIT = "03550"
SEED = 20231105
LIMIT = 10.0  # seconds one check (or one collect) may take before it counts as a hang
VERDICTS = {"used", "superseded", "needs_choice", "rejected", "attached", "opened", "ignored"}
FUZZ = {"deadline": None, "derandomize": True, "database": None, "print_blob": True,
        "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                  HealthCheck.data_too_large]}
# xsd:double as Excel writes a number (ASCII digits only), plus its special values
NUMBER_LEXICAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
NUMBER_SPECIAL = {"NaN", "INF", "-INF", "+INF"}
# a plain number: it must be read when within range (as text: with a warning, either decimal mark)
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
PLAIN_TEXT_NUMBER = re.compile(r"-?[0-9]+([.,][0-9]+)?")
# cell types whose value is not a number (any other type, even an unknown one, holds a number)
TEXT_TYPES = {"s", "inlineStr", "str", "d", "b", "e"}


# ---------------------------------------------------------------- the valid workbook


@dataclass(frozen=True)
class Original:
    """One valid filled workbook: its bytes, parts, expected scores and where they are."""

    path: Path
    data: bytes
    parts: tuple[tuple[str, bytes], ...]   # zip members in order
    scores: dict[str, dict[str, Decimal]]  # form id -> criterion id -> score as filled
    sheet_part: dict[str, str]             # sheet name -> worksheet part
    cells: tuple[tuple[str, str, str, str, Decimal], ...]  # (form, criterion, sheet, ref, max)
    totals: dict[str, str]                 # form id -> cell of its table total

    def part(self, name: str) -> bytes:
        return dict(self.parts)[name]

    def __repr__(self) -> str:  # keep hypothesis' failure reports short
        return f"Original({self.path.name}, {len(self.data)} bytes)"


@pytest.fixture(scope="module")
def key(generated, campaign) -> bytes:
    """The district secret key (created by the generate run behind ``generated``)."""
    found, _ = campaign_key(Path(campaign.secret_key_file))
    assert found is not None
    return found


@pytest.fixture(scope="module")
def original(campaign, generated, key, tmp_path_factory) -> Original:
    blank = next(f.path for f in generated.files if f.unit.code == UNIT)
    rng = random.Random(SEED)
    filled = sample_scores(campaign, rng, 0.8)
    path = fill_workbook(campaign, blank, tmp_path_factory.mktemp("fuzz") / f"{UNIT}.xlsx",
                         filled, sample_figures(campaign, rng))
    data = path.read_bytes()
    parts = tuple(unzip(data))
    sheet_part = sheet_parts(dict(parts))
    cells, totals = [], {}
    for spec in campaign.forms:
        if isinstance(spec, CriteriaSpec):
            layout = plan_criteria(spec, campaign.year)
            cells += [(spec.id, c.id, spec.sheet_name, layout.score_cell(c.id), c.max)
                      for c in spec.criteria()]
            totals[spec.id] = cell_ref(layout.total_row, layout.unit_col)
    scores = {form: {cid: Decimal(value) for cid, value in values.items()}
              for form, values in filled.items()}
    made = Original(path, data, parts, scores, sheet_part, tuple(cells), totals)
    # the baseline: read in full, nothing to report, every score as filled
    sub = check_file(campaign, path, "f.xlsx", data=data, key=key)
    assert sub.problems == () and sub.unit_code == UNIT
    assert {f.form_id: f.scores for f in sub.forms if f.form_id in scores} == scores
    assert all(f.complete for f in sub.forms)
    assert "xl/sharedStrings.xml" not in dict(parts)  # the cell fuzz adds its own table
    assert not any(b' t="s"' in dict(parts)[p] for p in sheet_part.values())
    return made


def unzip(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info.filename)) for info in archive.infolist()]


def rezip(parts, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, body in parts:
            archive.writestr(name, body)
    return out.getvalue()


def local(tag: str) -> str:
    return tag.rpartition("}")[2]


def sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Sheet name -> worksheet part, from workbook.xml and its relationships (first wins)."""
    rels = parts.get("xl/_rels/workbook.xml.rels")
    targets = {r.get("Id", ""): r.get("Target", "") for r in (ET.fromstring(rels).iter() if rels else ())
               if local(r.tag) == "Relationship"}
    found: dict[str, str] = {}
    for node in ET.fromstring(parts["xl/workbook.xml"]).iter():
        name = node.get("name", "")
        if local(node.tag) != "sheet" or name in found:
            continue
        rel_id = next((v for k, v in node.attrib.items() if k.endswith("}id")), "")
        target = targets.get(rel_id, "")
        part = target.lstrip("/") if target.startswith("/") \
            else posixpath.normpath(posixpath.join("xl", target))
        if part in parts:
            found[name] = part
    return found


# ---------------------------------------------------------------- running the collector


class Hang(BaseException):
    """Raised by the alarm: a BaseException, so no ``except Exception`` in the library eats it."""


@contextmanager
def time_limit(seconds: float = LIMIT):
    """Stop the call with Hang after ``seconds`` (where SIGALRM exists, on the main thread)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if usable:
        def fire(signum, frame):
            raise Hang(f"no answer within {seconds} s")
        previous = signal.signal(signal.SIGALRM, fire)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    start = time.monotonic()
    try:
        yield
    finally:
        if usable:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - start < seconds, "took too long: counts as a hang"


# the exception each known crash raises (the lenient_number bug is a misreading, no exception)
BUG_EXCEPTIONS = {"zlib": zlib.error, "cached_total": decimal.DecimalException,
                  "score_exponent": decimal.DecimalException, "saved_at": OverflowError}


class KnownBugs:
    """Which of the library bugs found by this fuzzing the library under test still has."""

    def __init__(self, present: set[str]):
        self.present = present

    def __repr__(self) -> str:
        return f"KnownBugs({sorted(self.present)})"

    def excuse(self, exc: BaseException, names) -> bool:
        """True when exc is a still-present bug that this input is known to trigger."""
        for name in names:
            if name in self.present and isinstance(exc, BUG_EXCEPTIONS[name]):
                event(f"known library bug excused: {name}")
                return True
        return False


def check(campaign, data: bytes, key: bytes, bugs: KnownBugs, excuse=()) -> Submission | None:
    """check_file on bytes under a time limit; None when a known bug (excused) struck."""
    try:
        with time_limit():
            sub = check_file(campaign, Path("f.xlsx"), "f.xlsx", data=data, key=key)
    except Exception as exc:  # any other exception is a failure: re-raised
        if bugs.excuse(exc, excuse):
            return None
        raise
    assert isinstance(sub, Submission)
    return sub


def inflate_fails(data: bytes) -> bool:
    """Whether some zip member's deflate stream is corrupt (zlib itself refuses it)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - not a zip at all: not this bug
        return False
    with archive:
        for info in archive.infolist():
            try:
                archive.read(info.filename)
            except zlib.error:
                return True
            except Exception:  # noqa: BLE001, S112 - other damage: not this bug
                continue
    return False


def literal_numbers(data: bytes, sheet: str, ref: str, lenient: bool = False) -> set[Decimal]:
    """The numbers the cell at ref literally says (its <v> text), parsed independently.

    ``lenient``: also what float() makes of it (the lenient_number bug, while present).
    """
    parts = dict(unzip(data))
    part = sheet_parts(parts).get(sheet)
    said: set[Decimal] = set()
    if part is None:
        return said
    for node in ET.fromstring(parts[part]).iter():
        if local(node.tag) != "c" or node.get("r") != ref or node.get("t") in TEXT_TYPES:
            continue
        text = next((v.text for v in node if local(v.tag) == "v"), None) or ""
        if NUMBER_LEXICAL.fullmatch(text.strip()) and math.isfinite(float(text)):
            said |= {Decimal(repr(float(text))), Decimal(text.strip())}
        elif lenient and float_lenient(Variant(node.get("t"), text)):
            said.add(Decimal(repr(float(text))))
    return said


def hidden_cell(data: bytes, sheet: str, ref: str) -> bool:
    """Whether an XML comment or processing instruction in the sheet holds a cell element for ref."""
    parts = dict(unzip(data))
    part = sheet_parts(parts).get(sheet)
    cell = re.escape(f'<c r="{ref}"'.encode())
    return part is not None and re.search(rb"<!--(?:(?!-->).)*?" + cell + rb"|<\?(?:(?!\?>).)*?" + cell,
                                          parts[part], re.DOTALL) is not None


def read_at(campaign, data: bytes, sheet: str, criterion_id: str, ref: str) -> str:
    """The score cell actually read for a criterion: its column, on the row of its id."""
    found = read_xlsx(data, limits_for(campaign)).sheet(sheet)
    rows = sorted(r for (r, c), cell in found.cells.items() if c == 1 and cell.value == criterion_id)
    assert len(rows) == 1, (criterion_id, rows)  # a score was read, so its id is on one row
    return re.match(r"[A-Z]+", ref)[0] + str(rows[0])


def assert_accounted(campaign, sub: Submission, original: Original, data: bytes,
                     bugs: KnownBugs) -> None:
    """The file is accounted for, and no score differs from the file without being reported."""
    assert isinstance(sub, Submission)
    for p in sub.problems:
        assert p.severity in (ERROR, WARNING) and p.code and p.message, p
    event("outcome: " + (next((p.code for p in sub.problems if p.severity == ERROR), None)
                         or ("warnings only" if sub.problems else "clean")))
    if not sub.forms:
        assert not sub.ok, "nothing was read, yet no error says why"
    where = {(f, c): (ref, maximum) for f, c, _, ref, maximum in original.cells}
    for form in sub.forms:
        spec = campaign.form(form.form_id)
        if not isinstance(spec, CriteriaSpec):
            continue
        ids = {c.id for c in spec.criteria()}
        assert set(form.scores) <= ids
        if form.complete:
            assert set(form.scores) == ids and form.total == table_total(spec, form.scores)
        for cid, value in form.scores.items():
            ref, maximum = where[(form.form_id, cid)]
            assert 0 <= value <= maximum, (form.form_id, cid, value)
            if value == original.scores[form.form_id][cid]:
                continue
            at = read_at(campaign, data, form.sheet, cid, ref)
            if any(p.sheet == form.sheet and p.cell == at for p in sub.problems):
                event("a score changed: reported at its cell")
                continue
            if "commented_cell" in bugs.present and hidden_cell(data, form.sheet, at):
                event("known library bug excused: commented_cell")
                continue
            event("a score changed: read as the cell now says")
            said = literal_numbers(data, form.sheet, at, "lenient_number" in bugs.present)
            assert value in said, \
                f"{form.form_id}/{cid} read as {value} at {form.sheet}!{at}: not what it says, not reported"
    if not sub.problems:  # nothing to report: then everything was read
        unit = next(u for u in campaign.units if u.code == sub.unit_code)
        assert sorted(f.form_id for f in sub.forms) == sorted(f.id for f in campaign.forms_for(unit))
        assert all(f.complete for f in sub.forms)


# ---------------------------------------------------------------- pinned library bugs


def corrupt_deflate(data: bytes, member: str = "xl/workbook.xml") -> bytes:
    """Set the first byte of a member's deflate stream to 0xFF (a reserved block type)."""
    out = bytearray(data)
    names = [name for name, _ in unzip(data)]
    out[member_data(data)[names.index(member)][0]] = 0xFF
    return bytes(out)


def with_cell(original: Original, sheet: str, ref: str, element: str,
              extra: tuple[tuple[str, bytes], ...] = ()) -> bytes:
    """The workbook with one cell element of a sheet replaced (and optional parts added)."""
    part = original.sheet_part[sheet]
    text = original.part(part).decode("utf-8")
    text, count = cell_pattern(ref).subn(lambda _: element, text, count=1)
    assert count == 1, ref
    changed = [(n, text.encode("utf-8") if n == part else b) for n, b in original.parts]
    return rezip(changed + list(extra))


def cell_pattern(ref: str) -> re.Pattern:
    return re.compile(rf'<c r="{ref}"(?:\s[^>]*?)?(?:/>|>.*?</c>)', re.DOTALL)


def with_saved_at(data: bytes, stamp: str) -> bytes:
    parts = []
    for name, body in unzip(data):
        if name == "docProps/core.xml":
            body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                          rb"\g<1>" + stamp.encode() + rb"\g<2>", body)
        parts.append((name, body))
    return rezip(parts)


def total_element(original: Original, form_id: str, cached: str) -> tuple[str, str, str]:
    """(sheet, ref, element): the table total cell, formula kept, cached value replaced."""
    spec_sheet = next(s for f, _, s, _, _ in original.cells if f == form_id)
    ref = original.totals[form_id]
    old = cell_pattern(ref).search(original.part(original.sheet_part[spec_sheet]).decode("utf-8"))[0]
    formula = re.search(r"<f>.*?</f>", old)[0]
    style = re.search(r' s="\d+"', old)
    return spec_sheet, ref, f'<c r="{ref}"{style[0] if style else ""}>{formula}<v>{cached}</v></c>'


def collect_with(campaign, files: dict[str, bytes]):
    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp)
        for name, body in files.items():
            (inbox / name).write_bytes(body)
        with time_limit():
            return collect(campaign, inbox)


REPRO = {
    "zlib": lambda o: corrupt_deflate(o.data),
    "cached_total": lambda o: with_cell(o, *total_element(o, "qcdc-hd22", "1e30")),
    "score_exponent": lambda o: with_cell(o, "QCDC", "E14",
                                          '<c r="E14" t="inlineStr"><is><t>1e999999999</t></is></c>'),
}
LATEST = "9999-12-31T23:59:59Z"
LENIENT = ("0_5", "\u0665", "\uff15")  # float() reads all three as 5: '٥' Arabic-Indic, '５' fullwidth


FAKE = "0.25"  # never a filled score (those are in steps of 0.5)
HIDDEN = {"comment": f'<!-- <c r="E14"><v>{FAKE}</v></c> -->',
          "processing instruction": f'<?x <c r="E14"><v>{FAKE}</v></c>?>'}
TYPE_HIDERS = {"type_whitespace": '<c r="E14" s="14"\nt="b"><v>1</v></c>',
               "type_after_gt": '<c r="E14" x="a>b" t="b"><v>1</v></c>'}


def read_quietly(campaign, key: bytes, data: bytes) -> Decimal | None:
    """QCDC a.1 (cell E14) as read from data, when nothing is reported at E14 (else None)."""
    sub = check_file(campaign, Path("f.xlsx"), data=data, key=key)
    if any(p.cell == "E14" or p.code == "WB_UNREADABLE" for p in sub.problems):
        return None
    return next((f.scores.get("a.1") for f in sub.forms if f.form_id == "qcdc-hd22"), None)


def misread_literal(campaign, original: Original, key: bytes, literal: str) -> Decimal | None:
    """The score read from a number cell holding a malformed literal with nothing reported, if any."""
    return read_quietly(campaign, key, with_cell(original, "QCDC", "E14",
                                                 f'<c r="E14" s="14" t="n"><v>{literal}</v></c>'))


def with_hidden(original: Original, hider: str) -> bytes:
    """A fake E14 inside a comment or processing instruction, after the real one."""
    part = original.sheet_part["QCDC"]
    text = original.part(part).replace(b"</sheetData>", hider.encode() + b"</sheetData>", 1)
    return rezip([(n, text if n == part else b) for n, b in original.parts])


@pytest.fixture(scope="module")
def bugs(campaign, original, key) -> KnownBugs:
    """Probe each pinned bug once against the library under test (it is being fixed meanwhile)."""
    present = set()
    for name, make in REPRO.items():
        try:
            check_file(campaign, Path("f.xlsx"), data=make(original), key=key)
        except BUG_EXCEPTIONS[name]:
            present.add(name)
    try:
        collect_with(campaign, {"f.xlsx": with_saved_at(original.data, LATEST)})
    except OverflowError:
        present.add("saved_at")
    if any(misread_literal(campaign, original, key, literal) is not None for literal in LENIENT):
        present.add("lenient_number")
    if any(read_quietly(campaign, key, with_hidden(original, h)) == Decimal(FAKE) for h in HIDDEN.values()):
        present.add("commented_cell")
    for name, element in TYPE_HIDERS.items():  # a Boolean cell: never a score
        if read_quietly(campaign, key, with_cell(original, "QCDC", "E14", element)) is not None:
            present.add(name)
    return KnownBugs(present)


# Each test_bug_* reproduces one library bug found by this fuzzing. While the bug is there the
# test xfails (shown by -ra with its reason); once fixed it passes, and then guards the fix.


def test_bug_corrupt_deflate_stream_is_reported(campaign, original, key):
    """zlib.error (not a BadZipFile) escaped read_xlsx and check_file."""
    try:
        sub = check_file(campaign, Path("f.xlsx"), data=corrupt_deflate(original.data), key=key)
    except zlib.error as exc:
        pytest.xfail(f"library bug: zlib.error escapes check_file ({exc})")
    assert [p.code for p in sub.problems] == ["WB_UNREADABLE"]


def test_bug_huge_cached_total_is_reported(campaign, original, key):
    """round2() of a cached total of 1e30 raised decimal.InvalidOperation in _check_total."""
    sheet, ref, element = total_element(original, "qcdc-hd22", "1e30")
    try:
        sub = check_file(campaign, Path("f.xlsx"), data=with_cell(original, sheet, ref, element), key=key)
    except decimal.DecimalException as exc:
        pytest.xfail(f"library bug: a huge cached total crashes check_file ({exc!r})")
    assert sub.ok and any(p.code == "WB_CACHED_TOTAL" and p.cell == ref for p in sub.problems)
    assert sub.forms[0].total == table_total(campaign.form("qcdc-hd22"), original.scores["qcdc-hd22"])


def test_bug_score_text_with_huge_exponent_is_reported(campaign, original, key):
    """format_points() overflowed (decimal.Overflow) on a score typed as '1e999999999'."""
    try:
        sub = check_file(campaign, Path("f.xlsx"), data=REPRO["score_exponent"](original), key=key)
    except decimal.DecimalException as exc:
        pytest.xfail(f"library bug: a text score with a huge exponent crashes check_file ({exc!r})")
    assert "a.1" not in sub.forms[0].scores
    assert any(p.severity == ERROR and p.cell == "E14" for p in sub.problems)


@pytest.mark.parametrize("literal", LENIENT)
def test_bug_malformed_number_literal_is_not_read_silently(campaign, original, key, literal):
    """float() accepted '0_5' and non-ASCII digits in a numeric cell: read as 5, nothing reported."""
    read = misread_literal(campaign, original, key, literal)
    if read is not None:
        pytest.xfail(f"library bug: numeric cell '{literal}' read silently as {read}")


@pytest.mark.parametrize("where", sorted(HIDDEN))
def test_bug_cell_inside_a_comment_is_not_read(campaign, original, key, where):
    """The sheet scanner read a cell element written inside a comment or processing instruction."""
    read = read_quietly(campaign, key, with_hidden(original, HIDDEN[where]))
    if read == Decimal(FAKE):
        pytest.xfail(f"library bug: a cell inside a {where} replaced the real score with {read}")
    assert read == original.scores["qcdc-hd22"]["a.1"]


@pytest.mark.parametrize("name", sorted(TYPE_HIDERS))
def test_bug_type_attribute_is_always_seen(campaign, original, key, name):
    """The sheet scanner missed t="b" after a newline, or after an attribute value holding '>'."""
    read = read_quietly(campaign, key, with_cell(original, "QCDC", "E14", TYPE_HIDERS[name]))
    if read is not None:
        pytest.xfail(f"library bug ({name}): a Boolean cell TRUE was read as the score {read}")


def test_bug_extreme_save_time_does_not_crash_collect(campaign, original):
    """merge.local_text() overflowed on a save time near datetime.max (collect crashed)."""
    try:
        collection = collect_with(campaign, {"f.xlsx": with_saved_at(original.data, LATEST)})
    except OverflowError as exc:
        pytest.xfail(f"library bug: an extreme save time crashes collect ({exc})")
    assert [f.verdict for f in collection.files] == ["used"]


# ---------------------------------------------------------------- 1. bytes of the zip


@st.composite
def byte_edits(draw):
    """A short list of byte edits; positions are taken modulo the length (or from the end)."""
    inside = st.tuples(st.just("member"), st.integers(0, 40), st.integers(0, 1 << 20))
    position = st.one_of(st.tuples(st.just("start"), st.integers(0, 1 << 20), st.just(0)),
                         inside, inside,  # the compressed data of a member
                         st.tuples(st.just("end"), st.integers(1, 2500), st.just(0)))  # the directory
    edit = st.one_of(
        st.tuples(st.just("flip"), position, st.integers(0, 7)),
        st.tuples(st.just("flip"), position, st.integers(0, 7)),
        st.tuples(st.just("set"), position, st.integers(0, 255)),
        st.tuples(st.just("set"), position, st.integers(0, 255)),
        st.tuples(st.just("delete"), position, st.integers(1, 64)),
        st.tuples(st.just("insert"), position, st.binary(min_size=1, max_size=16)),
        st.tuples(st.just("truncate"), position, st.none()),
    )
    return draw(st.lists(edit, min_size=1, max_size=3))


def member_data(data: bytes) -> list[tuple[int, int]]:
    """(offset, size) of each member's stored data in a zip."""
    spans = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            head = info.header_offset
            start = head + 30 + int.from_bytes(data[head + 26:head + 28], "little") \
                + int.from_bytes(data[head + 28:head + 30], "little")
            spans.append((start, info.compress_size))
    return spans


def apply_bytes(data: bytes, edits) -> bytes:
    spans = member_data(data)
    out = bytearray(data)
    for op, (origin, n, offset), arg in edits:
        if not out:
            break
        if origin == "member":
            start, size = spans[n % len(spans)]
            pos = min(start + spread(offset, size), len(out) - 1)
        elif origin == "start":
            pos = spread(n, len(out))
        else:
            pos = max(0, len(out) - n)
        if op == "flip":
            out[pos] ^= 1 << arg
        elif op == "set":
            out[pos] = arg
        elif op == "delete":
            del out[pos:pos + arg]
        elif op == "insert":
            out[pos:pos] = arg
        else:
            del out[pos:]
    return bytes(out)


@settings(max_examples=200, **FUZZ)
@given(stored=st.booleans(), edits=byte_edits())
def test_zip_bytes_mutated(campaign, original, key, bugs, stored, edits):
    base = rezip(original.parts, zipfile.ZIP_STORED) if stored else original.data
    data = apply_bytes(base, edits)
    sub = check(campaign, data, key, bugs, excuse=("zlib",) if inflate_fails(data) else ())
    if sub is not None:
        assert_accounted(campaign, sub, original, data, bugs)


# ---------------------------------------------------------------- 2. XML parts


# "{ref}" stands for the score cell the edit is anchored on
JUNK = ['<!DOCTYPE x [<!ENTITY a "aaaa">]>', "&a;", '<!ENTITY b "x">', "]]>", "<![CDATA[5]]>",
        "<?pi x?>", "<!-- c -->", "<v>9</v>", '<c r="{ref}"><v>1</v></c>', '<row r="14">', "</row>",
        "</sheetData>", '"', "<", ">", "&", "&#0;", "&#x1F600;", "\x00", "\ufeff", "é", ' r="{ref}"',
        ' t="s"', '<sheetProtection sheet="0"/>', "9" * 30,
        '<!-- <c r="{ref}"><v>0</v></c> -->', '<?x <c r="{ref}" t="n"><v>0.5</v></c>?>',
        '<c r="{ref}" t="inlineStr"><is><t>4,5</t></is></c>']
PARTS = ("QCDC", "QCDC", "QCDC", "QCDC", "DVCQ", "DVCQ", "Số liệu", "_wt", "xl/workbook.xml",
         "xl/_rels/workbook.xml.rels", "docProps/custom.xml", "docProps/core.xml",
         "[Content_Types].xml", "xl/styles.xml", "_rels/.rels")
XML_TEXT = st.characters(blacklist_categories=("Cs",))


SHORT_TEXT = st.one_of(
    st.sampled_from(["", "0", "5", "2.5", "4,5", "-1", "1e30", "abc", "a.1", "b.2", "i.1", "QCDC",
                     "DVCQ", "1", "0", "true", "#REF!", "9999-12-31T23:59:59Z", "rId3", "03549"]),
    st.text(alphabet="0123456789.,-eE", max_size=6),
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")), max_size=8),
)
ELEMENT = re.compile(r"<(c|row|sheet|property|si|Relationship|Override|sheetProtection|f|v|is)\b"
                     r"[^>]*?(?:/>|>.*?</\1>)", re.DOTALL)
TEXT_NODE = re.compile(r">([^<]+)<")
# where a shadow copy of a cell goes: a comment or processing instruction (never a cell), or plain
SHADOWS = ("<!-- {cell} -->", "<?x {cell}?>", "{cell}")
ATTRIBUTE = re.compile(r'\s[\w:]+="([^"]*)"')


@st.composite
def xml_edit(draw):
    """One edit of one part: raw (slices, junk, bytes) or structural (text, attribute, element)."""
    part = draw(st.sampled_from(PARTS))
    where = draw(st.one_of(st.integers(0, 1 << 20).map(lambda n: ("any", n, 0)),
                           st.tuples(st.just("cell"), st.integers(0, 200), st.integers(-40, 90))))
    op = draw(st.sampled_from(("delete", "duplicate", "insert", "bytes", "text", "text", "text",
                               "attribute", "element", "element", "shadow")))
    if op == "insert":  # anywhere, or snapped to a point between two tags
        arg = (draw(st.one_of(st.sampled_from(JUNK), st.text(XML_TEXT, min_size=1, max_size=12))),
               draw(st.booleans()))
    elif op == "bytes":
        arg = draw(st.lists(st.tuples(st.integers(0, 63), st.integers(0, 255)), min_size=1, max_size=4))
    elif op in ("text", "attribute"):
        arg = draw(SHORT_TEXT)
    elif op == "element":
        arg = draw(st.sampled_from(("drop", "copy", "swap")))
    elif op == "shadow":  # a second copy of the anchored cell, with another value, after it
        arg = (draw(st.sampled_from(SHADOWS)), draw(st.sampled_from(["0", "0.5", "1", "3", "abc"])))
    else:
        arg = draw(st.integers(1, 200))
    return part, where, op, arg


def spread(n: int, size: int) -> int:
    """A position in 0..size-1 from a drawn integer, spread over the whole range."""
    return (n * 2_654_435_761) % max(size, 1)


def apply_xml(original: Original, edits) -> bytes:
    parts = dict(original.parts)
    for part, (kind, n, offset), op, arg in edits:
        name = original.sheet_part.get(part, part)
        text = parts[name].decode("utf-8", "surrogateescape")
        refs = [ref for _, _, sheet, ref, _ in original.cells if sheet == part] or ["E14"]
        ref = refs[n % len(refs)]
        if kind == "cell":  # near a score cell: where a mutation can change a number
            anchors = [m.start() for m in cell_pattern(ref).finditer(text)] or [0]
            pos = min(max(anchors[0] + offset, 0), len(text))
        else:
            pos = spread(n, len(text) + 1)
        if op == "delete":
            text = text[:pos] + text[pos + arg:]
        elif op == "duplicate":
            text = text[:pos + arg] + text[pos:pos + arg] + text[pos + arg:]
        elif op == "insert":
            junk, snap = arg
            if snap:
                pos = text.find("><", pos) + 1 or len(text)
            text = text[:pos] + junk.replace("{ref}", ref) + text[pos:]
        elif op in ("text", "attribute", "element"):
            text = structural(text, pos, op, arg)
        elif op == "shadow":
            real = next(cell_pattern(ref).finditer(text), None)
            if real is not None:
                shadow = arg[0].format(cell=f'<c r="{ref}"><v>{arg[1]}</v></c>')
                text = text[:real.end()] + shadow + text[real.end():]
        raw = text.encode("utf-8", "surrogateescape")
        if op == "bytes":
            raw = bytearray(raw)
            for shift, value in arg:
                if raw:
                    raw[min(pos + shift, len(raw) - 1)] = value
            raw = bytes(raw)
        parts[name] = raw
    return rezip([(name, parts[name]) for name, _ in original.parts])


def structural(text: str, pos: int, op: str, arg: str) -> str:
    """Keep the XML well formed: replace a text node or attribute value, or move an element."""
    pattern = {"text": TEXT_NODE, "attribute": ATTRIBUTE, "element": ELEMENT}[op]
    found = next(pattern.finditer(text, pos), None) or next(pattern.finditer(text), None)
    if found is None:
        return text
    if op == "text":
        return text[:found.start(1)] + escape(arg) + text[found.end(1):]
    if op == "attribute":
        return text[:found.start(1)] + escape(arg, {'"': "&quot;"}) + text[found.end(1):]
    element = found[0]
    if arg == "drop":
        return text[:found.start()] + text[found.end():]
    if arg == "copy":
        return text[:found.end()] + element + text[found.end():]
    after = next((m for m in ELEMENT.finditer(text, found.end()) if m[1] == found[1]), None)
    if after is None:
        return text
    return (text[:found.start()] + after[0] + text[found.end():after.start()] + element
            + text[after.end():])


@settings(max_examples=120, **FUZZ)
@given(edits=st.lists(xml_edit(), min_size=1, max_size=2))
def test_xml_parts_mutated(campaign, original, key, bugs, edits):
    data = apply_xml(original, edits)
    sub = check(campaign, data, key, bugs)
    assert_accounted(campaign, sub, original, data, bugs)


# ---------------------------------------------------------------- 3. one score cell


@dataclass(frozen=True)
class Variant:
    """What a score cell is made to hold: its type attribute and the literal written."""

    t: str | None          # None (no attribute), n, zz (unknown), s, inlineStr, str, d, b, e
    raw: str | None        # the <v> text (None: no <v>), the inline text, or the shared index
    formula: bool = False  # a formula kept in front of the value
    strings: tuple[str, ...] = ()  # the shared strings table (t="s")
    runs: int = 1          # inline text split into this many rich-text runs
    sep: str = " "         # the white space in front of the type attribute (any is valid XML)
    extra: str = ""        # an attribute written in front of the type attribute

    def element(self, ref: str, style: str) -> str:
        attr = f'{self.extra}{self.sep}t="{self.t}"' if self.t else self.extra
        inner = "<f>E1*1</f>" if self.formula else ""
        if self.t == "inlineStr":
            if self.raw is not None:
                cuts = sorted({len(self.raw) * i // self.runs for i in range(self.runs)} | {len(self.raw)})
                pieces = [self.raw[a:b] for a, b in itertools.pairwise(cuts)] or [""]
                body = "".join(f'<r><t xml:space="preserve">{escape(p)}</t></r>' for p in pieces) \
                    if self.runs > 1 else f'<t xml:space="preserve">{escape(self.raw)}</t>'
                inner += f"<is>{body}</is>"
        elif self.raw is not None:
            inner += f"<v>{escape(self.raw)}</v>"
        return f'<c r="{ref}"{style}{attr}>{inner}</c>'

    def shared_part(self) -> tuple[tuple[str, bytes], ...]:
        if self.t != "s":
            return ()
        items = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in self.strings)
        xml = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               f'count="{len(self.strings)}" uniqueCount="{len(self.strings)}">{items}</sst>')
        return (("xl/sharedStrings.xml", xml.encode("utf-8")),)


NUMBER_TEXT = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(-1, 12).map(lambda f: f"{f:.3f}"),
    st.integers(-10 ** 25, 10 ** 25).map(str),
    st.decimals(-20, 20, places=2, allow_nan=False, allow_infinity=False).map(str),
    st.text(alphabet="0123456789+-.eE ", max_size=10),
    st.sampled_from(["nan", "NaN", "inf", "-INF", "1e308", "1e309", "-1e308", "5e-324", "4.5", "4,5",
                     ".5", "5.", "-0", "+3", " 2.5 ", "", " ", "abc", "#REF!", "1 000", "2.5e0", "1e0001",
                     "4.4999999999999999999", "0_5", "\u0665", "\uff15", "infinity", "1e-400"]),
)
TEXT = st.one_of(
    st.sampled_from(["4,5", "4.5", " 4,5 ", "4,50", "abc", "", " ", "=1+1", "1e1", "1E-1", "4.5.1",
                     "4,5,1", "-1", "-0", "0", "+1", "1/2", "½", "\u0664,\u0665", "\uff14.\uff15",
                     "NaN", "Infinity", "1 5", "1\u00a05", "0x10", "1_0", "5", "100", "5e0", "4.5e0",
                     "1e999999999", "-2,5e999999999", "1e-999999999", "9e999999"]),
    st.text(alphabet="0123456789,.- eE+", max_size=8),
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")), max_size=8),
    st.decimals(0, 12, places=2, allow_nan=False,
                allow_infinity=False).map(lambda d: f"{d}".replace(".", ",")),
)
SEP = st.sampled_from([" "] * 10 + ["  ", "\n", "\t", "\r\n"])
EXTRA = st.sampled_from([""] * 10 + [' cm="1"', ' x="a>b"'])  # '>' is legal in an attribute value
VARIANTS = st.one_of(
    st.builds(Variant, st.sampled_from([None, "n", "zz"]), st.one_of(st.none(), NUMBER_TEXT), st.booleans(),
              sep=SEP, extra=EXTRA),
    st.builds(Variant, st.just("inlineStr"), st.one_of(st.none(), TEXT), runs=st.integers(1, 3),
              sep=SEP, extra=EXTRA),
    st.builds(Variant, st.sampled_from(["str", "d", "e"]), st.one_of(st.none(), TEXT, st.just("#REF!")),
              sep=SEP, extra=EXTRA),
    st.builds(Variant, st.just("b"), st.sampled_from([None, "0", "1", "x"]), sep=SEP, extra=EXTRA),
    st.builds(Variant, st.just("s"),
              st.one_of(st.none(), st.integers(-3, 6).map(str),
                        st.sampled_from(["99999999999999999999", "abc", "1.5", " 1 "])),
              strings=st.lists(TEXT, max_size=4).map(tuple), sep=SEP, extra=EXTRA),
)


def hides_type(variant: Variant, bugs: KnownBugs) -> bool:
    """Whether a still-present scanner bug makes the library miss this cell's type attribute."""
    if variant.t is None:
        return False
    return ("type_whitespace" in bugs.present and not variant.sep.endswith(" ")) or \
        ("type_after_gt" in bugs.present and ">" in variant.extra)


def text_number(text: str) -> Decimal | None:
    """A faithful reading of a typed score: spaces dropped, one comma as the decimal mark."""
    text = text.strip().replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


@dataclass(frozen=True)
class Expect:
    """What the collector may do with the cell: read one of ``values``, or report the cell."""

    values: frozenset = frozenset()  # the readings allowed (empty: it must not be read)
    must_read: bool = False          # a plain number within range: it must be read
    warn: bool = False               # typed as text: a reading needs a SCORE_TEXT warning
    unreadable_ok: bool = False      # not valid SpreadsheetML: rejecting the whole file is fine
    code: str | None = None          # the problem required at the cell when it is not read


def expect(variant: Variant, maximum: Decimal) -> Expect:
    raw = variant.raw
    if variant.t not in TEXT_TYPES:  # a number cell (no type, "n", or an unknown type)
        if not raw:
            return Expect(code="SCORE_BLANK")
        text = raw.strip()
        if NUMBER_LEXICAL.fullmatch(text):
            number = float(text)
            if not math.isfinite(number):
                return Expect()
            plain = bool(PLAIN_NUMBER.fullmatch(text))
            if not 0 <= Decimal(repr(number)) <= maximum:
                return Expect(code="SCORE_OUT_OF_RANGE" if plain else None)
            return Expect(frozenset({Decimal(repr(number)), Decimal(text)}), must_read=plain)
        if text in NUMBER_SPECIAL:
            return Expect()
        # not a number as SpreadsheetML spells one: the file may be refused, or the cell read
        # as typed text (with a warning) or reported
        return replace(expect_text(raw, maximum), must_read=False, code=None, unreadable_ok=True)
    if raw is None:
        return Expect(code="SCORE_BLANK")
    if variant.t == "b":
        return Expect()
    if variant.t == "s":
        if not re.fullmatch(r"\s*[+-]?[0-9]+\s*", raw):
            return Expect(unreadable_ok=True)
        index = int(raw)
        if not 0 <= index < len(variant.strings):
            return Expect()
        raw = variant.strings[index]
    return expect_text(raw, maximum)


def expect_text(text: str, maximum: Decimal) -> Expect:
    if not text.strip():
        return Expect(code="SCORE_BLANK")
    number = text_number(text)
    plain = bool(PLAIN_TEXT_NUMBER.fullmatch(text.strip()))
    if number is not None and 0 <= number <= maximum:
        return Expect(frozenset({number}), must_read=plain, warn=True)
    return Expect(code="SCORE_OUT_OF_RANGE" if plain else None)


def float_lenient(variant: Variant) -> bool:
    """A number cell float() reads as a finite number though SpreadsheetML would not ('0_5', '٥')."""
    if variant.t in TEXT_TYPES or not variant.raw or NUMBER_LEXICAL.fullmatch(variant.raw.strip()):
        return False
    try:
        return math.isfinite(float(variant.raw))
    except ValueError:
        return False


def huge_exponent(variant: Variant) -> bool:
    texts = list(variant.strings) + ([variant.raw] if variant.raw else [])
    return any((n := text_number(t)) is not None and abs(n.adjusted()) > 999_999 for t in texts)


@settings(max_examples=200, **FUZZ)
@given(target=st.integers(0, 10 ** 6), variant=VARIANTS)
def test_score_cell_value_and_type(campaign, original, key, bugs, target, variant):
    form_id, cid, sheet, ref, maximum = original.cells[target % len(original.cells)]
    style = re.search(r' s="\d+"', cell_pattern(ref).search(
        original.part(original.sheet_part[sheet]).decode("utf-8"))[0])
    data = with_cell(original, sheet, ref, variant.element(ref, style[0] if style else ""),
                     variant.shared_part())
    sub = check(campaign, data, key, bugs, excuse=("score_exponent",) if huge_exponent(variant) else ())
    if sub is None:
        return
    if "lenient_number" in bugs.present and float_lenient(variant):
        event("known library bug excused: lenient_number")
        return
    if hides_type(variant, bugs):
        event("known library bug excused: type attribute missed")
        return
    want = expect(variant, maximum)
    here = [p for p in sub.problems if p.sheet == sheet and p.cell == ref]
    if any(p.code == "WB_UNREADABLE" for p in sub.problems):
        assert want.unreadable_ok, f"{variant} made the whole file unreadable: {sub.problems}"
        return
    assert all(p in here for p in sub.problems), f"problems away from {ref}: {sub.problems}"
    form = next(f for f in sub.forms if f.form_id == form_id)
    others = {k: v for k, v in original.scores[form_id].items() if k != cid}
    assert {k: v for k, v in form.scores.items() if k != cid} == others  # nothing else moved
    for other in sub.forms:
        if other.form_id != form_id and other.form_id in original.scores:
            assert other.scores == original.scores[other.form_id] and other.complete
    if cid in form.scores:
        value = form.scores[cid]
        assert 0 <= value <= maximum and value in want.values, \
            f"{variant} read as {value}, expected one of {set(want.values)} or a problem at {ref}"
        if want.warn:  # the sample campaign refuses text scores: read, and reported as an error to fix
            assert any(p.code == "SCORE_TEXT_REFUSED" for p in here), "a score typed as text must be reported"
        assert not any(p.severity == ERROR and p.code != "SCORE_TEXT_REFUSED" for p in here)
        assert form.complete and form.total == table_total(campaign.form(form_id), form.scores)
    else:
        assert not want.must_read, f"{variant} should be read as {set(want.values)}; problems: {here}"
        assert any(p.severity == ERROR for p in here), f"{variant} not read and not reported at {ref}"
        if want.code:
            assert want.code in {p.code for p in here}, (variant, here)
        assert not form.complete and form.total is None


@settings(max_examples=40, **FUZZ)
@given(form_index=st.integers(0, 1),
       cached=st.one_of(NUMBER_TEXT, st.sampled_from(["1e25", "1e26", "-1e40", "4,5e99"])))
def test_cached_total_is_never_trusted(campaign, original, key, bugs, form_index, cached):
    form_id = sorted(original.totals)[form_index]
    sheet, ref, element = total_element(original, form_id, escape(cached))
    data = with_cell(original, sheet, ref, element)
    big = (number := text_number(cached)) is not None and number.adjusted() >= 25
    sub = check(campaign, data, key, bugs, excuse=("cached_total",) if big else ())
    if sub is None:
        return
    if any(p.code == "WB_UNREADABLE" for p in sub.problems):
        assert cached and not NUMBER_LEXICAL.fullmatch(cached.strip())
        assert cached.strip() not in NUMBER_SPECIAL
        return
    form = next(f for f in sub.forms if f.form_id == form_id)
    expected = table_total(campaign.form(form_id), original.scores[form_id])
    assert form.scores == original.scores[form_id] and form.total == expected  # recomputed, never read
    assert all(p.code == "WB_CACHED_TOTAL" and p.cell == ref and p.severity == WARNING
               for p in sub.problems)
    if PLAIN_NUMBER.fullmatch(cached.strip()):  # a total as a spreadsheet caches it
        differs = round2(Decimal(repr(float(cached)))) != expected
        assert bool(sub.problems) == differs, (cached, sub.problems)


# ---------------------------------------------------------------- 4. a whole inbox


STAMPS = st.one_of(
    st.sampled_from([LATEST, "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+05:00", "2023-11-05T10:00:00+23:59",
                     "2023-13-45T99:00:00Z", "", "x", "2023-11-04"]),
    st.datetimes(timezones=st.sampled_from([dt.UTC, None])).map(lambda d: d.isoformat()),
)
MUTATIONS = st.one_of(
    st.tuples(st.just("bytes"), byte_edits()),
    st.tuples(st.just("xml"), st.lists(xml_edit(), min_size=1, max_size=2)),
    st.tuples(st.just("cell"), st.tuples(st.integers(0, 10 ** 6), VARIANTS)),
    st.tuples(st.just("saved"), STAMPS),
)


def mutate(original: Original, kind: str, arg) -> bytes:
    if kind == "bytes":
        return apply_bytes(original.data, arg)
    if kind == "xml":
        return apply_xml(original, arg)
    if kind == "saved":
        return with_saved_at(original.data, escape(arg))
    target, variant = arg
    _, _, sheet, ref, _ = original.cells[target % len(original.cells)]
    return with_cell(original, sheet, ref, variant.element(ref, ""), variant.shared_part())


def save_time_overflows(campaign, data: bytes) -> bool:
    """Whether the file's save time, shown in the campaign's time zone, leaves datetime's range."""
    try:
        core = dict(unzip(data)).get("docProps/core.xml", b"")
    except Exception:  # noqa: BLE001 - not a zip: no save time
        return False
    found = re.search(rb"<dcterms:modified[^>]*>([^<]*)<", core)
    try:
        stamp = dt.datetime.fromisoformat(found[1].decode().strip())
        (stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)).astimezone(campaign.timezone)
    except OverflowError:
        return True
    except (TypeError, ValueError, UnicodeDecodeError):
        return False
    return False


@settings(max_examples=30, **FUZZ)
@given(mutations=st.lists(MUTATIONS, min_size=1, max_size=3))
def test_collect_accounts_for_every_file(campaign, original, key, bugs, mutations):
    files = {"goc.xlsx": original.data}
    files |= {f"m{i}.xlsx": mutate(original, kind, arg) for i, (kind, arg) in enumerate(mutations)}
    excuse = set()
    if any(inflate_fails(body) for body in files.values()):
        excuse.add("zlib")
    if any(save_time_overflows(campaign, body) for body in files.values()):
        excuse.add("saved_at")
    unchecked = set()
    for i, (kind, arg) in enumerate(mutations):
        if kind == "cell" and huge_exponent(arg[1]):
            excuse.add("score_exponent")
        if kind == "cell" and (hides_type(arg[1], bugs)
                               or ("lenient_number" in bugs.present and float_lenient(arg[1]))):
            unchecked.add(f"m{i}.xlsx")
    try:
        collection = collect_with(campaign, files)
    except Exception as exc:
        if bugs.excuse(exc, excuse):
            return
        raise
    assert len(collection.files) == len(files)
    assert sorted(f.found.rel for f in collection.files) == sorted(files)
    assert all(f.verdict in VERDICTS for f in collection.files)
    assert sum(f.verdict == "used" for f in collection.files) <= 1  # one unit: one file counts
    by_name = {f.found.rel: f for f in collection.files}
    for name, outcome in by_name.items():
        if outcome.verdict == "rejected":
            assert outcome.reason, f"{name} rejected without a reason"
        if outcome.submission is not None and name in unchecked:
            event("known library bug excused: a misread cell in an inbox")
        elif outcome.submission is not None:
            assert_accounted(campaign, outcome.submission, original, files[name], bugs)
    unit = next(u for u in collection.units if u.unit.code == UNIT)
    # the valid file is always there: it counts, or it waits with the others for the officer's choice
    assert unit.file is not None or any(o.found.rel == "goc.xlsx" for o in unit.choices)
