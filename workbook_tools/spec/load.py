"""Loading a spec file of either kind, refusing it with every problem found."""

from __future__ import annotations

from pathlib import Path

from workbook_tools.problems import Problem, Severity, WorkbookToolsError, make_problem
from workbook_tools.spec.base import FormKind
from workbook_tools.spec.criteria import CriteriaSpec, read_criteria_spec
from workbook_tools.spec.indicators import IndicatorSpec, read_indicator_spec
from workbook_tools.spec.yamlio import Fields, load_yaml

READERS = {FormKind.CRITERIA: read_criteria_spec, FormKind.INDICATORS: read_indicator_spec}


def load_spec(path: Path | str) -> CriteriaSpec | IndicatorSpec:
    """Load a criteria or indicators spec, refusing it with every problem found."""
    path = Path(path)
    data = load_yaml(path)
    problems: list[Problem] = []
    top = Fields(data, str(path), "tệp tiêu chí", problems, line=1)
    kind = top.text("kind", FormKind.CRITERIA)
    if kind not in READERS:
        raise WorkbookToolsError([make_problem("SPEC_KIND", file=str(path),
                                               line=top.line_of("kind"), value=kind)])
    spec = READERS[FormKind(kind)](top, str(path))
    if any(p.severity == Severity.ERROR for p in problems):
        raise WorkbookToolsError(problems)
    return spec
