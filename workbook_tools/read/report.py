"""A unit's narrative report (.docx) read by the outline's sections.

Our template carries the unit's signed identity (custom document properties ``wt_*``, as the
workbooks do) and a bookmark ``wt_s_<section id>`` on each heading; a foreign report (the unit's
own Word file) is placed by its headings: numbering and wording compared loosely (case,
diacritics, numbering styles), sections missing or merged, text that fits no heading kept as
unplaced. Tables are kept as text rows. The bytes go through the zip and XML guards of
``read.docx`` before anything parses them.

What is dropped: the grey prompts (style "Gợi ý") and lines equal to a prompt or guidance line of
the outline, the letterhead, title and opening formula before the first heading, and everything
from "Nơi nhận" or the signature block on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from workbook_tools.form.identity import PROPERTY_PREFIX, REPORT_FORMAT, bookmark_name
from workbook_tools.form.signing import verify
from workbook_tools.problems import Problem, make_problem
from workbook_tools.read.docx import DocBlock, DocxError, read_docx
from workbook_tools.spec.campaign import Campaign
from workbook_tools.spec.outline import OutlineSection, OutlineSpec

UNPLACED = ""  # the section id of text that fits no heading ("Không xác định mục")
PROMPT_STYLES = frozenset({"goi y", "goiy"})  # folded names of the prompt style (PROMPT_STYLE, PROMPT_STYLE_ID)
MIN_HEADINGS = 3                          # fewer headings found: the outline is not recognised
BULLET = re.compile(r"^\s*[-+•*–—‣◦·]\s*")
LETTERHEAD = re.compile(
    r"cong hoa xa hoi chu nghia|doc lap\W+tu do|^so\s*:|^kinh gui|^v/v\b|ngay\W+(\d+\W+)?thang\W+(\d+\W+)?nam"
    r"|nhu sau\W*$|^-?\s*luu\b|^bao cao\b")
CLOSING = re.compile(r"^\W*noi nhan\b|^(tm|kt|tl|tuq|q)\.\s")
SIGNERS = frozenset({"chu tich", "pho chu tich", "giam doc", "pho giam doc", "truong phong", "pho truong phong",
                     "hieu truong", "bi thu", "nguoi lap bao cao", "nguoi bao cao", "thu truong don vi"})
TOC_STYLE = re.compile(r"^(toc|contents|table of contents|muc luc)\b")


@dataclass(frozen=True, slots=True)
class SectionText:
    """The text a report holds under one heading of its outline (paragraphs joined by newlines;
    a table row as its cells joined by ' | ')."""

    section_id: str   # the outline's id ('iii.1'), or UNPLACED
    heading: str      # the heading as the file has it ('' for text before any heading)
    text: str


@dataclass(frozen=True, slots=True)
class ReportRead:
    """What one .docx yielded."""

    outline_id: str                   # '' when no outline of the campaign fits
    unit_code: str                    # from the signed identity ('' when there is none or it is not trusted)
    file_id: str                      # the template's file id ('' for a foreign report)
    sections: tuple[SectionText, ...]  # in document order, UNPLACED ones included
    problems: tuple[Problem, ...]


def read_report(campaign: Campaign, year: int | None, data: bytes, key: bytes | None,
                outline_hint: str = "") -> ReportRead:
    """Read one returned report; never raises for a bad file (its problems say what went wrong).

    ``year`` fills the headings' ``{year}`` (the campaign's year when None); ``key`` checks the
    signature of our template's identity (None: trusted unchecked); ``outline_hint`` is the outline
    the collector expects (from the file name), used when the headings cannot tell.
    """
    year = campaign.year if year is None else year
    try:
        document = read_docx(data)
    except DocxError as exc:
        return ReportRead("", "", "", (), (make_problem("REPORT_UNREADABLE", detail=exc.reason),))
    problems: list[Problem] = []
    meta = _identity(campaign, document.properties, key, problems)
    outline_id = meta.get("outline_id", "")
    if outline_id not in {o.id for o in campaign.outlines}:
        outline_id = detect_outline(campaign, year, document.blocks, outline_hint)
    outline = campaign.outline(outline_id) if outline_id else None
    if outline is None:
        problems.append(make_problem("REPORT_OUTLINE_UNKNOWN"))
    sections = _Splitter(outline, year).run(document.blocks).sections()
    problems += _section_problems(outline, sections)
    return ReportRead(outline_id, meta.get("unit_code", ""), meta.get("file_id", ""), sections, tuple(problems))


def _identity(campaign: Campaign, properties: dict[str, str], key: bytes | None,
              problems: list[Problem]) -> dict[str, str]:
    """Our template's identity when it is there and trusted ({} otherwise)."""
    meta = {name[len(PROPERTY_PREFIX):]: value for name, value in properties.items()
            if name.startswith(PROPERTY_PREFIX)}
    if meta.get("format") != REPORT_FORMAT:
        return {}
    if meta.get("campaign_id") != campaign.id or (key is not None and not verify(meta, key)):
        problems.append(make_problem("REPORT_SIGNATURE_BAD", found=meta.get("unit_code", "")))
        return {}
    return meta


def _section_problems(outline: OutlineSpec | None, sections: tuple[SectionText, ...]) -> list[Problem]:
    problems = []
    unplaced = sum(1 for s in sections if s.section_id == UNPLACED for line in s.text.splitlines() if line.strip())
    if unplaced:
        problems.append(make_problem("REPORT_UNPLACED", count=unplaced))
    empty = empty_sections(outline, sections) if outline else ()
    if empty:
        problems.append(make_problem("REPORT_SECTIONS_EMPTY", report=outline.short_name,
                                     sections=", ".join(outline.label(s.id) for s in empty)))
    return problems


def empty_sections(outline: OutlineSpec, sections: tuple[SectionText, ...]) -> tuple[OutlineSection, ...]:
    """The leaf sections with no text, their parent holding none either."""
    written = {s.section_id for s in sections if s.text.strip() and s.section_id != UNPLACED}
    return tuple(s for s in outline.leaves() if s.id not in written and s.parent not in written)


def detect_outline(campaign: Campaign, year: int, blocks: tuple[DocBlock, ...], hint: str = "") -> str:
    """The campaign outline whose headings the paragraphs match best, by wording alone ('' when
    none matches at least three headings, or two match equally well); ``hint`` (an outline id)
    wins when it is among the best or when none matches."""
    scores = {o.id: _Splitter(o, year, use_marks=False).run(blocks).score() for o in campaign.outlines}
    fits = {o: total for o, (count, total) in scores.items() if count >= MIN_HEADINGS}
    if not fits:
        return hint if hint in scores else ""
    best = [o for o, total in fits.items() if total >= max(fits.values()) - 1e-9]
    return hint if hint in best else best[0] if len(best) == 1 else ""


def split_sections(outline: OutlineSpec, year: int, blocks: tuple[DocBlock, ...]) -> tuple[SectionText, ...]:
    """The report's text by section of the outline, in document order (UNPLACED first when there is
    text before the first heading)."""
    return _Splitter(outline, year).run(blocks).sections()


class _Splitter:
    """One pass over the blocks: headings found by bookmark or by wording, text gathered under them."""

    def __init__(self, outline: OutlineSpec | None, year: int, use_marks: bool = True):
        self.matcher = _Matcher(outline, year) if outline else None
        self.by_mark = {bookmark_name(s.id): s
                        for s in (outline.sections if outline and use_marks else ())}
        self.prompts = _prompt_lines(outline) if outline else frozenset()
        self.letterhead = _title_lines(outline, year) if outline else ()
        self.signature = (words(outline.signature_title), words(outline.signature_hint)) if outline else ()
        self.texts: dict[str, list[str]] = {}
        self.headings: dict[str, str] = {}
        self.closed = False

    def run(self, blocks: tuple[DocBlock, ...]) -> _Splitter:
        if self.matcher:
            self.matcher.excluded |= {self.by_mark[m].id for b in blocks for m in b.bookmarks if m in self.by_mark}
        for block in blocks:
            if not self.closed:
                self._block(block, block.text.strip())
        return self

    def _block(self, block: DocBlock, text: str) -> None:
        style = fold(block.style)
        if not words(text) or style in PROMPT_STYLES or TOC_STYLE.match(style) \
                or words(BULLET.sub("", text)) in self.prompts:
            return
        if self._closes(text, block.is_table_row):
            self.closed = True
            return
        marks = [self.by_mark[m] for m in block.bookmarks if m in self.by_mark]
        if marks and not block.is_table_row:
            section = max(marks, key=lambda s: self.matcher.order[s.id])
            found, rest = [(section, text)], self.matcher.rest_of_marked(text, section)
            self.matcher.enter(section, 1.0)
        elif self.matcher and not block.is_table_row and not BULLET.match(text):
            styled = block.outline_level > 0 or block.bold or (text.upper() == text and len(text) <= 200)
            found, rest = self.matcher.headings_in(text, styled)
        else:
            found, rest = [], text
        self.headings.update((section.id, heading) for section, heading in found)
        if rest and not (self._current() is None and self._is_letterhead(rest, block)):
            self.texts.setdefault(self._current() or UNPLACED, []).append(rest)

    def _closes(self, text: str, row: bool) -> bool:
        """'Nơi nhận', the signature block: the end of the report."""
        return any(CLOSING.match(fold(part.strip())) or words(part) in SIGNERS or words(part) in self.signature
                   or (row and any(words(part).startswith(s) for s in self.signature if s))
                   for part in (text.split(" | ") if row else (text,)))

    def _current(self) -> str | None:
        return self.matcher.current.id if self.matcher and self.matcher.current else None

    def _is_letterhead(self, text: str, block: DocBlock) -> bool:
        """Before the first heading: the letterhead, title lines and the opening formula."""
        if LETTERHEAD.search(" ".join(fold(text).split())):
            return True
        if self.matcher and not block.is_table_row and text.upper() == text and len(text) <= 120:
            return True  # the issuer's name, 'BÁO CÁO' (with no outline, headings look the same: kept)
        return any(similarity(words(text), line) >= 0.8 for line in self.letterhead)

    def sections(self) -> tuple[SectionText, ...]:
        return tuple(SectionText(section_id, self.headings.get(section_id, ""), "\n".join(lines))
                     for section_id, lines in self.texts.items())

    def score(self) -> tuple[int, float]:
        """How well the outline fits: headings found by wording, and their summed similarity."""
        found = self.matcher.found if self.matcher else {}
        return len(found), sum(found.values())


@dataclass(frozen=True)
class _Num:
    """A heading's number as typed: 'III.' is ('roman', (3,)), '1.2' is ('multi', (1, 2))."""

    kind: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class _Head:
    """An outline heading as the matcher compares it."""

    section: OutlineSection
    words: str
    number: int          # its own number's value ('III' -> 3)
    parent_number: int   # its parent's (0 for a first-level heading)
    index: int           # its place in the outline


class _Matcher:
    """Tells which outline heading a line of a foreign report is, following the outline's order."""

    def __init__(self, outline: OutlineSpec, year: int):
        self.heads = [_Head(s, words(s.words(year)), _value(s.number),
                            _value(outline.section(s.parent).number) if s.parent else 0, index)
                      for index, s in enumerate(outline.sections)]
        self.order = {h.section.id: h.index for h in self.heads}
        self.longest = max((len(h.words) for h in self.heads), default=0)
        self.excluded: set[str] = set()      # sections found by their bookmark
        self.current: OutlineSection | None = None
        self.top = ""                        # the level-1 heading the text is under
        self.found: dict[str, float] = {}    # found by wording: similarity

    def enter(self, section: OutlineSection, similar: float) -> None:
        """The text that follows goes under this heading."""
        self.current = section
        self.top = section.parent or section.id
        if section.id not in self.excluded:
            self.found[section.id] = max(self.found.get(section.id, 0.0), similar)

    def headings_in(self, text: str, styled: bool) -> tuple[list[tuple[OutlineSection, str]], str]:
        """The headings a line is (several when merged on one line: 'IV. ... - 1. ...'), and the
        text that follows them on it ('1. Ưu điểm: ...')."""
        segments = [s for s in MERGED.split(text) if s.strip()] if len(text) <= 2 * self.longest else [text]
        found: list[tuple[OutlineSection, str]] = []
        for index, segment in enumerate(segments):
            head, sep, after = segment.partition(":")
            match, rest = self.best(segment, styled), ""
            split = self.best(head, styled) if sep and after.strip() else None
            if split and (match is None or split[1] > match[1]):  # '2. Tồn tại ...: text'
                match, rest = split, after.strip()
            if match is None:
                return (found, " ".join(segments[index:])) if found else ([], text)
            self.enter(*match)
            found.append((match[0], (head if rest else segment).strip()))
            if rest:
                return found, " ".join([rest, *segments[index + 1:]])
        return found, ""

    def best(self, text: str, styled: bool) -> tuple[OutlineSection, float] | None:
        """The heading this text is, with its similarity (None when it is no heading)."""
        num, rest = _parse_number(fold(text))
        typed = words(rest)
        if not typed or len(typed) > 1.6 * self.longest + 30:
            return None
        scored = [(self._score(num, typed, head, styled), head) for head in self.heads
                  if head.section.id not in self.excluded and head.section.id not in self.found
                  and len(typed) <= 1.5 * len(head.words) + 25]
        score, head = max(scored, key=lambda pair: pair[0][0], default=((0.0, 0.0), None))
        return (head.section, score[1]) if head is not None and score[0] > 0 else None

    def _score(self, num: _Num | None, typed: str, head: _Head, styled: bool) -> tuple[float, float]:
        """(rank, similarity): the rank is 0 when the text cannot be this heading. A number that
        agrees, or a heading's look (bold, heading style, capitals), lets shortened wording pass
        ('2.1. Ban hành văn bản'); a close wording outranks a number that merely agrees ('d) Hoạt động
        của Ban Thanh tra' after a left-out III.4)."""
        sim, part = similarity(typed, head.words), contained(typed, head.words)
        agree = _agreement(num, head)
        after = head.index > (self.order[self.current.id] if self.current else -1)
        under = after and (not head.section.parent or head.section.parent == self.top)
        rank = max(sim, 0.9 * part) + 0.15 * agree + (0.1 if under else 0.0)
        if agree > 0 and (sim >= 0.8 or (under and (sim >= (0.4 if styled else 0.55) or part >= 0.6))):
            return rank, sim
        if after and agree == 0 and (sim >= 0.8 or (styled and part >= 0.8 and sim >= 0.4)):
            return rank, sim
        if after and agree < 0 and sim >= 0.9:
            return rank, sim
        return 0.0, sim

    def rest_of_marked(self, text: str, section: OutlineSection) -> str:
        """Text typed on a bookmarked heading's line after the heading and a colon."""
        head, sep, rest = text.partition(":")
        words_of = next(h.words for h in self.heads if h.section is section)
        if not sep or not rest.strip() or similarity(words(text), words_of) >= 0.8:
            return ""
        return rest.strip() if similarity(words(_parse_number(fold(head))[1]), words_of) >= 0.6 else ""


MERGED = re.compile(r"\s*[-–—:;,.]?\s+(?=(?:[IVX]+|\d+(?:\.\d+)*|[a-zA-ZđĐ])\s*[.)]\s)")
NUMBERING = re.compile(r"^\W*(?:(?P<word>phan|muc|chuong)\s+(?P<wnum>[ivxlc]+|\d+)\b[\s.):\-–—]*"
                       r"|(?P<multi>\d+(?:\.\d+)+)\.?(?=\s|$)[\s.):\-–—]*"
                       r"|(?P<num>[ivxlc]+|\d+|[a-z])\s*[.):\-–—/]+)\s*")
COMBINING = re.compile("[\u0300-\u036f]")  # the marks NFD splits off Vietnamese letters
WORD = re.compile(r"[^\W_]+")
ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def _parse_number(plain: str) -> tuple[_Num | None, str]:
    """The numbering a folded line starts with ('iii.', '3)', '1.2', 'phan iii', 'a)') and the rest."""
    match = NUMBERING.match(plain)
    if not match:
        return None, plain
    rest = plain[match.end():]
    if match["multi"]:
        return _Num("multi", tuple(int(x) for x in match["multi"].split("."))), rest
    token = match["wnum"] or match["num"]
    if token.isdigit():
        return _Num("word" if match["word"] else "arabic", (int(token),)), rest
    if len(token) > 1 or token in "ivx":
        return _Num("word" if match["word"] else "roman", (_roman(token),)), rest
    return _Num("letter", (ord(token) - ord("a") + 1,)), rest


def _roman(token: str) -> int:
    values = [ROMAN[c] for c in token]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _value(number: str) -> int:
    """The value of an outline number ('III' or '2'; 0 when none)."""
    return int(number) if number.isdigit() else _roman(number.lower()) if number else 0


def _agreement(num: _Num | None, head: _Head) -> int:
    """1 when the typed number is the heading's, -1 when it is another, 0 when none was typed."""
    if num is None:
        return 0
    if num.kind == "multi":
        return 1 if num.values[-2:] == (head.parent_number, head.number) and head.parent_number else -1
    if head.section.level == 1:
        return 1 if num.kind in ("roman", "arabic", "word") and num.values == (head.number,) else -1
    return 1 if num.kind in ("arabic", "letter", "word") and num.values == (head.number,) else -1


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower case without diacritics ('Đ' -> 'd'), punctuation kept: how headings are compared."""
    return COMBINING.sub("", unicodedata.normalize("NFD", text.casefold().replace("đ", "d")))


@lru_cache(maxsize=4096)
def words(text: str) -> str:
    """The folded words of a text, single-spaced, without punctuation."""
    return " ".join(WORD.findall(fold(text)))


def similarity(typed: str, expected: str) -> float:
    """How close two folded word strings are: the better of the shared words and difflib's ratio
    over the word sequences (0 when their lengths alone rule out 0.4)."""
    a, b = typed.split(), expected.split()
    if not a or not b or 2 * min(len(a), len(b)) < 0.4 * (len(a) + len(b)):
        return 0.0
    shared = len(set(a) & set(b)) / max(len(set(a)), len(set(b)))
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return max(shared, matcher.ratio() if matcher.quick_ratio() > max(shared, 0.4) else 0.0)


def contained(typed: str, expected: str) -> float:
    """The share of the typed words (two at least) that the heading has: a shortened heading."""
    a = set(typed.split())
    return len(a & set(expected.split())) / len(a) if len(a) >= 2 else 0.0


def _prompt_lines(outline: OutlineSpec) -> frozenset[str]:
    lines = [s.prompt for s in outline.sections] + [g for s in outline.sections for g in s.guidance]
    return frozenset(words(line) for line in lines if line.strip())


def _title_lines(outline: OutlineSpec, year: int) -> tuple[str, ...]:
    lines = (outline.title, *outline.subtitles(year), " ".join(outline.subtitles(year)), outline.scope)
    return tuple(words(line) for line in lines if line.strip())
