"""Widths on paper for our Word documents: how wide a text prints in our font (``paper.measure``),
and column widths that hold every word of a table whole, sharing the rest of the page sensibly."""

from __future__ import annotations

import math
from collections.abc import Sequence

from workbook_tools.paper.measure import text_width

MM_PER_PT = 25.4 / 72
CELL_PAD_MM = 1.9  # left and right padding inside every table cell we write (108 twips, Word's default)
SLACK_MM = 1.0     # what a column gets on top of its longest word, for rounding in the layout
SHORT_MM = 12.0    # a column needing at most this much more to hold its texts on one line gets it first


def text_mm(text: str, size_pt: float, bold: bool = False, italic: bool = False) -> float:
    """Printed width of a one-line text, in millimetres."""
    return text_width(text, size_pt, bold, italic) * MM_PER_PT


def longest_word_mm(text: str, size_pt: float, bold: bool = False) -> float:
    """Width of the widest word of a text (a line may break only between words)."""
    return max((text_mm(word, size_pt, bold) for word in text.split()), default=0.0)


def longest_line_mm(text: str, size_pt: float, bold: bool = False) -> float:
    """Width of the widest line of a text, unwrapped."""
    return max((text_mm(line, size_pt, bold) for line in text.split("\n")), default=0.0)


def fit_widths(columns: Sequence[Sequence[str]], headers: Sequence[str], size_pt: float,
               width_mm: float) -> list[float]:
    """Column widths (mm) summing to at most ``width_mm``: every text on one line when the width
    allows; else each column at least its longest word (headers in bold), and what is left to the
    columns that need more to show their texts on one line (and their header on three), small needs
    met whole, the large ones sharing the rest in proportion."""
    pad = 2 * CELL_PAD_MM + SLACK_MM
    least, most, whole = [], [], []
    for header, texts in zip(headers, columns):
        word = max([longest_word_mm(header, size_pt, bold=True)]
                   + [longest_word_mm(t, size_pt) for t in texts]) + pad
        body = max([longest_line_mm(t, size_pt) for t in texts], default=0.0) + pad
        least.append(word)
        most.append(max(word, body, wrap_mm(header, 3, size_pt, bold=True) + pad))  # a header on 3 lines
        whole.append(max(word, body, longest_line_mm(header, size_pt, bold=True) + pad))
    for wanted in (whole, most):
        if sum(wanted) <= width_mm:
            spare = (width_mm - sum(wanted)) / len(wanted)
            return [m + spare for m in wanted] if spare < 8 else list(wanted)
    needs = [m - w for m, w in zip(most, least)]
    return [w + extra for w, extra in zip(least, _share(needs, max(0.0, width_mm - sum(least))))]


def wrap_mm(text: str, lines: int, size_pt: float, bold: bool = False) -> float:
    """The narrowest width (mm) at which ``text``, wrapped between words, takes at most ``lines`` lines."""
    words = text.split()
    spans = sorted({text_mm(" ".join(words[i:j]), size_pt, bold)
                    for i in range(len(words)) for j in range(i + 1, len(words) + 1)})
    for width in spans:
        count, line = 1, ""
        for word in words:
            trial = f"{line} {word}".strip()
            if line and text_mm(trial, size_pt, bold) > width:
                count, line = count + 1, word
            else:
                line = trial
        if count <= lines and all(text_mm(w, size_pt, bold) <= width for w in words):
            return width
    return spans[-1] if spans else 0.0


def _share(needs: Sequence[float], room: float) -> list[float]:
    """Share ``room`` out: a column needing a little more (at most ``SHORT_MM`` and an equal share)
    gets all it needs, so short texts stay on one line; the others split what is left in proportion
    to the square roots of their needs (a long text does not starve a shorter one), none getting
    more than it needs."""
    given = [0.0] * len(needs)
    open_columns = set(range(len(needs)))
    small = True
    while open_columns:
        share = room / len(open_columns)
        weights = {i: math.sqrt(needs[i]) for i in open_columns}
        if small:
            done = [i for i in open_columns if needs[i] <= min(share, SHORT_MM)]
            small = bool(done)
        if not small:
            total = sum(weights.values()) or 1.0
            done = [i for i in open_columns if needs[i] <= weights[i] * room / total]
            if not done:
                for i in open_columns:
                    given[i] = weights[i] * room / total
                return given
        for i in done:
            given[i], room = needs[i], room - needs[i]
            open_columns.discard(i)
    return given
