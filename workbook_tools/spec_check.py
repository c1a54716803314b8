"""``spec check``: load spec files and describe them as a tree with sums, or list their problems."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from workbook_tools.indicators import IndicatorSpec
from workbook_tools.problems import Problem, WorkbookToolsError
from workbook_tools.spec import CriteriaSpec, Node, Section, format_points, load_spec

TYPE_LABELS = {"int": "số nguyên ≥ 0", "bool": "Có/Không", "date": "ngày"}


@dataclass(frozen=True)
class SpecCheck:
    """Result of checking one spec file: its description lines or its problems."""

    path: Path
    lines: tuple[str, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """Whether the file loaded without errors."""
        return not any(p.severity == "error" for p in self.problems)


def check_spec_files(paths: list[Path]) -> list[SpecCheck]:
    """Check each spec file independently."""
    results = []
    for path in paths:
        try:
            spec = load_spec(path)
        except WorkbookToolsError as exc:
            results.append(SpecCheck(path=path, lines=(), problems=exc.problems))
            continue
        lines = describe_criteria(spec) if isinstance(spec, CriteriaSpec) else describe_indicators(spec)
        results.append(SpecCheck(path=path, lines=tuple(lines), problems=()))
    return results


def describe_criteria(spec: CriteriaSpec) -> list[str]:
    """The table as an indented tree: STT, text, maximum, and each section's sum check."""
    criteria = spec.criteria()
    lines = [f"{spec.id} (phiên bản {spec.version}): {spec.short_name}, {len(criteria)} tiêu chí, "
             f"tổng {format_points(spec.total)} điểm, mã nội dung {spec.content_hash[:12]}",
             f"Căn cứ: {spec.legal_basis}"]
    for section in spec.sections:
        lines.extend(_describe_node(section, 1))
    total = sum((c.max for c in criteria), Decimal(0))
    lines.append(f"Tổng: {format_points(total)} / {format_points(spec.total)} điểm - khớp")
    lines.append(f"Thang xếp loại: {spec.bands.describe()}")
    if spec.bands.placeholder:
        lines.append("Lưu ý: thang xếp loại là giá trị tạm thời (placeholder: true), cần xác nhận.")
    lines.extend(f"Ghi chú: {note}" for note in spec.notes)
    return lines


def _describe_node(node: Node, depth: int) -> list[str]:
    indent = "  " * depth
    stt = node.stt or "-"
    text = node.text if len(node.text) <= 70 else node.text[:69] + "…"
    if not isinstance(node, Section):
        note = " [có ghi chú]" if node.notes else ""
        return [f"{indent}{stt} {text} [{node.id}]: {format_points(node.max)}{note}"]
    total = sum((item.max for item in node.items), Decimal(0))
    lines = [f"{indent}{stt} {text} [{node.id}]: {format_points(node.max)} "
             f"(các dòng con cộng {format_points(total)} - khớp)"]
    for item in node.items:
        lines.extend(_describe_node(item, depth + 1))
    return lines


def describe_indicators(spec: IndicatorSpec) -> list[str]:
    """Groups, fields with their types, and the consistency rules."""
    lines = [f"{spec.id} (phiên bản {spec.version}): {spec.short_name}, "
             f"{len(spec.indicators())} chỉ tiêu, {len(spec.rules)} quy tắc kiểm tra, "
             f"mã nội dung {spec.content_hash[:12]}"]
    for group in spec.groups:
        lines.append(f"  {group.stt} {group.title} [{group.id}] ({group.source})")
        for field in group.items:
            unit = f", {field.unit}" if field.unit else ""
            lines.append(f"    {field.stt} {field.label} [{field.id}]: {TYPE_LABELS[field.type]}{unit}")
    lines.extend(f"  Quy tắc {rule.id}: {rule.expression()}" for rule in spec.rules)
    return lines
