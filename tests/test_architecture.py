"""The shape of the house: stages in dependency order, no import cycle, small modules and functions.

Read from the source with ``ast``: every import counts, at module level or inside a function, and so
does ``importlib.import_module("workbook_tools....")`` with the module named in the call.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "workbook_tools"
BASE = {"problems", "fileio", "parallel", "data", ""}  # "" is the package root (__version__, TEMPLATE_VERSION)
# The stages from the bottom up (as drawn in the README): a stage may import the stages of lower
# layers, never one of its own layer or above; everything may import BASE.
LAYERS = (("spec",), ("form", "paper"), ("read", "generate"), ("results",), ("outputs",), ("collect",),
          ("report", "review"), ("demo",), ("app",), ("cli",), ("__main__",))
ALLOWED = {stage: {lower for layer in LAYERS[:index] for lower in layer}
           for index, stages in enumerate(LAYERS) for stage in stages}
ALLOWED.update({name: set() for name in BASE})
# Imports inside a function are allowed only for these optional or heavy modules (none now: the web
# stack, app.server, is imported by cli.app, which only the app command loads).
LOCAL_IMPORTS_ALLOWED: set[str] = set()
# Modules loaded at the point of use with importlib.import_module (with a comment saying why): heavy
# ones a command needs only at its end, never before it starts reading (benchmarks/startup.py).
LAZY_LOADS_ALLOWED = {
    "workbook_tools.outputs.write",    # python-docx and xlsxwriter: collect loads them once the inbox is read
    "workbook_tools.outputs.ranking",  # python-docx: the cli names the ranking tables once they are written
}
MAX_MODULE_LINES, MAX_FUNCTION_LINES = 400, 60


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def _lazy_target(node: ast.AST) -> str | None:
    """The module named in ``importlib.import_module("...")``, else None."""
    function = getattr(node, "func", None) if isinstance(node, ast.Call) else None
    if isinstance(function, ast.Attribute) and function.attr == "import_module" \
            and getattr(function.value, "id", "") == "importlib" and node.args:
        first = node.args[0]
        return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else "?"
    return None


def _imports(name: str, path: Path) -> list[tuple[str, bool, int]]:
    """(imported module of ours, inside a function, line) for every import in the module
    (``importlib.import_module`` of one of ours included, as inside a function)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    local = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
             for n in ast.walk(f)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif _lazy_target(node) is not None:
            targets = [_lazy_target(node)]
        else:
            continue
        for target in targets:
            if target.startswith("workbook_tools") and target in MODULES and target != name:
                found.append((target, id(node) in local, node.lineno))
    return found


MODULES = _modules()
GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_no_import_cycle():
    """Depth-first search over every import, local ones included."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target, _local, _line in GRAPH[node]:
            if state.get(target) == 1:
                pytest.fail("import cycle: " + " -> ".join(stack[stack.index(target):] + [target]))
            if target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for module in GRAPH:
        if module not in state:
            visit(module)


def test_stages_import_only_what_they_may():
    wrong = []
    for module, imports in GRAPH.items():
        stage = _stage(module)
        allowed = ALLOWED[stage] | BASE | {stage}
        wrong += [f"{module}:{line} imports {target}" for target, _local, line in imports
                  if _stage(target) not in allowed]
    assert not wrong, "\n".join(wrong)


def test_no_local_import_but_optional_or_heavy_ones():
    local = [f"{module}:{line} imports {target} inside a function" for module, imports in GRAPH.items()
             for target, is_local, line in imports if is_local and target not in LOCAL_IMPORTS_ALLOWED
             and not (target in LAZY_LOADS_ALLOWED and _loaded_lazily(module, line))]
    assert not local, "\n".join(local)


def _loaded_lazily(module: str, line: int) -> bool:
    return any(_lazy_target(node) for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8")))
               if getattr(node, "lineno", 0) == line)


def test_importlib_names_its_module():
    """``importlib.import_module`` names its module in the call, so the rules above see the modules of
    ours loaded that way; the command table of ``cli`` (``cli.group``) is the one place that loads
    modules by a name it is given."""
    found = []
    for module, path in MODULES.items():
        if module == "workbook_tools.cli.group":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            target = _lazy_target(node)
            if target == "?":
                found.append(f"{module}:{node.lineno}")
    assert not found, found


def test_every_package_says_what_it_owns():
    missing = [str(path) for path in PACKAGE.rglob("__init__.py")
               if not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))]
    assert not missing


def test_modules_and_functions_are_short():
    long = []
    for module, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_MODULE_LINES:
            long.append(f"{module}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{module}.{node.name}: {length} lines")
    assert not long, "\n".join(long)


def test_kinds_of_form_are_told_by_the_form_protocol():
    """No isinstance(..., CriteriaSpec / IndicatorSpec) outside the spec stage: use ``form.kind``,
    ``form.row_ids`` or ``Campaign.scored_forms`` / ``figure_forms``."""
    found = []
    for module, path in MODULES.items():
        if _stage(module) == "spec":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "isinstance" and len(node.args) == 2:
                if any(getattr(n, "id", "") in ("CriteriaSpec", "IndicatorSpec") for n in ast.walk(node.args[1])):
                    found.append(f"{module}:{node.lineno}")
    assert not found, found


def test_only_the_cli_talks_to_the_console():
    found = []
    for module, path in MODULES.items():
        if _stage(module) in ("cli", "__main__"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("print", "input"):
                found.append(f"{module}:{node.lineno}")
            if isinstance(node, (ast.Import, ast.ImportFrom)) and any(
                    (getattr(node, "module", "") or a.name).split(".")[0] == "click" for a in node.names):
                found.append(f"{module}:{node.lineno} imports click")
    assert not found, found


def test_setup_cfg_lists_every_package():
    """setup.cfg lists the packages (the data packages are mapped in): none may be left out of a wheel."""
    import configparser

    config = configparser.ConfigParser()
    config.read(PACKAGE.parent / "setup.cfg", encoding="utf-8")
    listed = {line.strip() for line in config["options"]["packages"].splitlines() if line.strip()}
    found = {name for name, path in MODULES.items() if path.name == "__init__.py"}
    assert listed == found | {"workbook_tools.criteria_specs", "workbook_tools.samples"}
