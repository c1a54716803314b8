"""Compact, read-only mappings for per-unit values kept through a large collection.

A district keeps 35 units in memory; a country keeps tens of thousands. A unit's scores and
figures are stored as one small array of codes aligned with a shared key tuple per form; each
code points into one table of distinct values (scores like 0.5, 1, 2 repeat across units), so a
form costs one or two bytes per row whatever the roster size.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any

EMPTY: Mapping[str, Any] = MappingProxyType({})
_CANON: dict[tuple[str, ...], tuple[tuple[str, ...], dict[str, int]]] = {}
_MISSING = object()
_TABLE: list[Any] = [_MISSING, None]      # code -> value (0: absent, 1: None)
_CODES: dict[Any, int] = {}               # (type, value) -> code


def empty() -> Mapping[str, Any]:
    """The shared empty read-only mapping (a default that costs nothing per object)."""
    return EMPTY


class CompactMap(Mapping):
    """A read-only mapping over shared keys; compares equal to the dict with the same items."""

    __slots__ = ("_keys", "_index", "_codes")

    def __init__(self, keys: tuple[str, ...], values: Mapping[str, Any]):
        found = _CANON.get(keys)
        if found is None:
            found = _CANON.setdefault(keys, (keys, {k: i for i, k in enumerate(keys)}))
        self._keys, self._index = found
        unknown = [k for k in values if k not in self._index]
        if unknown:
            raise KeyError(unknown[0])
        codes = [_code(values.get(k, _MISSING)) for k in self._keys]
        top = max(codes, default=0)
        self._codes = array("B" if top < 0x100 else "H" if top < 0x10000 else "I", codes)

    def __getitem__(self, key: str) -> Any:
        position = self._index.get(key)
        value = _MISSING if position is None else _TABLE[self._codes[position]]
        if value is _MISSING:
            raise KeyError(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        """The value for key, or default (without the cost of raising KeyError)."""
        position = self._index.get(key)
        if position is None:
            return default
        value = _TABLE[self._codes[position]]
        return default if value is _MISSING else value

    def __contains__(self, key: object) -> bool:
        position = self._index.get(key)  # type: ignore[arg-type]
        return position is not None and self._codes[position] != 0

    def __iter__(self) -> Iterator[str]:
        return (k for k, c in zip(self._keys, self._codes) if c)

    def __len__(self) -> int:
        return len(self._codes) - self._codes.count(0)

    def __repr__(self) -> str:
        return f"CompactMap({dict(self)!r})"

    def aligned(self, keys: tuple[str, ...]) -> tuple[Any, ...]:
        """The values for ``keys`` in order (None where absent), fast when they are this map's keys."""
        if keys is self._keys or keys == self._keys:
            table = _TABLE
            return tuple(table[c] if c else None for c in self._codes)
        return tuple(self.get(k) for k in keys)

    def __reduce__(self):
        return (CompactMap, (self._keys, dict(self)))


def share(value: Any) -> Any:
    """One object for equal immutable values (totals, subtotals, scores) kept across many units."""
    return _TABLE[_code(value)] if value is not None else None


def _code(value: Any) -> int:
    """The table code of a value; equal immutable values share one code (and one object)."""
    if value is _MISSING:
        return 0
    if value is None:
        return 1
    try:
        key = (type(value), value)
        code = _CODES.get(key)
    except TypeError:  # unhashable: a code of its own
        _TABLE.append(value)
        return len(_TABLE) - 1
    if code is None:
        code = _CODES[key] = len(_TABLE)
        _TABLE.append(value)
    return code


def aligned(values: Mapping[str, Any], keys: tuple[str, ...]) -> tuple[Any, ...]:
    """The values of any mapping for ``keys`` in order, None where absent."""
    if isinstance(values, CompactMap):
        return values.aligned(keys)
    return tuple(values.get(k) for k in keys)
