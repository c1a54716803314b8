"""``spec check``: load spec files one by one; each loads (and can be described) or has problems."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbook_tools.problems import Problem, Severity, WorkbookToolsError
from workbook_tools.spec.criteria import CriteriaSpec
from workbook_tools.spec.indicators import IndicatorSpec
from workbook_tools.spec.load import load_spec


@dataclass(frozen=True)
class SpecCheck:
    """Result of checking one spec file: the spec, or the problems that refused it."""

    path: Path
    spec: CriteriaSpec | IndicatorSpec | None
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """Whether the file loaded without errors."""
        return not any(p.severity == Severity.ERROR for p in self.problems)


def check_spec_files(paths: list[Path]) -> list[SpecCheck]:
    """Check each spec file independently."""
    results = []
    for path in paths:
        try:
            results.append(SpecCheck(path=path, spec=load_spec(path), problems=()))
        except WorkbookToolsError as exc:
            results.append(SpecCheck(path=path, spec=None, problems=exc.problems))
    return results
