"""YAML reading that remembers line numbers, so every problem can name its line.

Mappings load as ``Mapping`` (a dict) carrying the line of the mapping and of each key, and
the raw text of each scalar value: YAML 1.1 turns ``1.10`` into the float 1.1 and ``No`` into
False, so text fields (STT, ids, labels) must be read from the raw scalar, never the value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from workbook_tools.problems import Problem, WorkbookToolsError, make_problem, nfc


class Mapping(dict):
    """A YAML mapping with line information (1-based)."""

    line: int
    key_lines: dict[str, int]
    raw: dict[str, str]

    def line_of(self, key: str) -> int:
        """Line of key, or of the mapping when the key is absent."""
        return self.key_lines.get(key, self.line)


class Sequence(list):
    """A YAML sequence with the line it starts on (1-based)."""

    line: int


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when available
    """SafeLoader building Mapping and Sequence objects and refusing duplicate keys."""

    duplicate_keys: list[tuple[str, int]]


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Mapping:
    loader.flatten_mapping(node)
    result = Mapping()
    result.line = node.start_mark.line + 1
    result.key_lines, result.raw = {}, {}
    for key_node, value_node in node.value:
        key = str(loader.construct_object(key_node, deep=True))
        if key in result:
            loader.duplicate_keys.append((key, key_node.start_mark.line + 1))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
        if isinstance(value_node, yaml.ScalarNode):
            result.raw[key] = nfc(str(value_node.value))
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> Sequence:
    result = Sequence(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_text(path: Path) -> str:
    """Read a UTF-8 text file (BOM tolerated) or raise a WorkbookToolsError."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise WorkbookToolsError([make_problem("FILE_NOT_FOUND", file=str(path), path=path)])
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkbookToolsError([make_problem("FILE_UNREADABLE", file=str(path), detail=exc)])


def load_yaml(path: Path) -> Any:
    """Load one YAML document with line information; syntax errors name the line."""
    text = read_text(path)
    loader = _Loader(text)
    loader.duplicate_keys = []
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        detail = getattr(exc, "problem", None) or str(exc)
        raise WorkbookToolsError([make_problem("YAML_SYNTAX", file=str(path), line=line,
                                               detail=detail)])
    finally:
        loader.dispose()
    problems = [make_problem("YAML_DUPLICATE_KEY", file=str(path), line=line, key=key)
                for key, line in loader.duplicate_keys]
    if problems:
        raise WorkbookToolsError(problems)
    return data


class Fields:
    """Typed access to one Mapping that records problems instead of raising.

    ``context`` names the mapping in messages ("mục 'a1'"); after reading every field,
    ``finish()`` reports keys that were present but never asked for (unknown keys).
    """

    def __init__(self, mapping: Any, file: str, context: str, problems: list[Problem],
                 line: int | None = None):
        if not isinstance(mapping, Mapping):
            problems.append(make_problem("VALUE_TYPE", file=file, line=line, key=context,
                                         expected="một mục dạng 'khóa: giá trị'",
                                         value=_short(mapping)))
            mapping = Mapping()
            mapping.line, mapping.key_lines, mapping.raw = line or 0, {}, {}
        self.mapping, self.file, self.context, self.problems = mapping, file, context, problems
        self.seen: set[str] = set()

    @property
    def line(self) -> int:
        """Line where this mapping starts."""
        return self.mapping.line

    def line_of(self, key: str) -> int:
        """Line of a key (or of the mapping)."""
        return self.mapping.line_of(key)

    def has(self, key: str) -> bool:
        """Whether key is present (and mark it as known)."""
        self.seen.add(key)
        return key in self.mapping

    def _missing(self, key: str) -> None:
        self.problems.append(make_problem("KEY_MISSING", file=self.file, line=self.line,
                                          key=key, context=self.context))

    def _bad_type(self, key: str, expected: str) -> None:
        self.problems.append(make_problem("VALUE_TYPE", file=self.file, line=self.line_of(key),
                                          key=key, expected=expected,
                                          value=_short(self.mapping.get(key))))

    def text(self, key: str, default: str | None = None) -> str:
        """A text field, read from the raw scalar and NFC-normalised.

        Without a default the field is required and must not be empty; with a default
        (usually "") it is optional and may be empty.
        """
        self.seen.add(key)
        if key not in self.mapping:
            if default is None:
                self._missing(key)
            return default or ""
        value = self.mapping[key]
        if isinstance(value, (Mapping, Sequence)) or value is None:
            if value is None and default is not None:
                return default
            self._bad_type(key, "một đoạn văn bản")
            return ""
        text = nfc(self.mapping.raw.get(key, str(value))).strip()
        if not text and default is None:
            self.problems.append(make_problem("TEXT_EMPTY", file=self.file,
                                              line=self.line_of(key), key=key))
        return text

    def number(self, key: str, default: float | None = None) -> float:
        """A number field (int or float; booleans refused)."""
        self.seen.add(key)
        if key not in self.mapping:
            if default is None:
                self._missing(key)
                return 0.0
            return default
        value = self.mapping[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self._bad_type(key, "một số")
            return 0.0
        return float(value)

    def flag(self, key: str, default: bool = False) -> bool:
        """A yes/no field (true/false)."""
        self.seen.add(key)
        value = self.mapping.get(key, default)
        if not isinstance(value, bool):
            self._bad_type(key, "true hoặc false")
            return default
        return value

    def items(self, key: str, required: bool = True) -> list[Any]:
        """A list field; returns [] (and records a problem) when absent or not a list."""
        self.seen.add(key)
        if key not in self.mapping:
            if required:
                self._missing(key)
            return []
        value = self.mapping[key]
        if not isinstance(value, list):
            self._bad_type(key, "một danh sách")
            return []
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        """An optional list of text lines (a single text is accepted as one line)."""
        self.seen.add(key)
        value = self.mapping.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (nfc(value).strip(),)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(nfc(v).strip() for v in value)
        self._bad_type(key, "một đoạn văn bản hoặc danh sách văn bản")
        return ()

    def sub(self, key: str, context: str, required: bool = True) -> "Fields":
        """Fields of a nested mapping."""
        self.seen.add(key)
        if key not in self.mapping and required:
            self._missing(key)
        value = self.mapping.get(key, None)
        if value is None:
            value = Mapping()
            value.line, value.key_lines, value.raw = self.line_of(key), {}, {}
        return Fields(value, self.file, context, self.problems, line=self.line_of(key))

    def finish(self) -> None:
        """Record every key present but never read as unknown."""
        allowed = ", ".join(sorted(self.seen))
        for key in self.mapping:
            if key not in self.seen:
                self.problems.append(make_problem("KEY_UNKNOWN", file=self.file,
                                                  line=self.line_of(key), key=key,
                                                  context=self.context, allowed=allowed))


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."
