"""Compact, read-only mappings for per-unit values kept through a large collection.

A district keeps 35 units in memory; a country keeps tens of thousands. A unit's scores and
figures are stored as one small array of codes aligned with a shared key tuple per form; each
code points into one table of distinct values (scores like 0.5, 1, 2 repeat across units), so a
form costs one or two bytes per row whatever the roster size. Values that rarely repeat (texts,
large counts) or arriving once the table is full keep a plain tuple instead: a table entry costs
far more than a tuple slot when it is used once.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

_CANON: dict[tuple[str, ...], tuple[tuple[str, ...], dict[str, int]]] = {}
_MISSING = object()
_TABLE: list[Any] = [_MISSING, None]      # code -> value (0: absent, 1: None)
_CODES: dict[Any, int] = {}               # (type, value), Decimals (Decimal, text) -> code
TABLE_MAX = 0xFFFF                        # distinct values shared at most (about 10 MB)
_SMALL_INT = 10_000                       # counts below this repeat across units


class CompactMap(Mapping):
    """A read-only mapping over shared keys; compares equal to the dict with the same items."""

    __slots__ = ("_keys", "_index", "_store")

    def __init__(self, keys: tuple[str, ...], values: Mapping[str, Any]):
        found = _CANON.get(keys)
        if found is None:
            found = _CANON.setdefault(keys, (keys, {k: i for i, k in enumerate(keys)}))
        self._keys, self._index = found
        unknown = [k for k in values if k not in self._index]
        if unknown:
            raise KeyError(unknown[0])
        row = [values.get(k, _MISSING) for k in self._keys]
        codes = _codes(row)
        if codes is None:
            self._store: tuple[Any, ...] | array = tuple(row)
        else:
            top = max(codes, default=0)
            self._store = array("B" if top < 0x100 else "H", codes)

    def _at(self, position: int) -> Any:
        item = self._store[position]
        return _TABLE[item] if type(self._store) is array else item

    def __getitem__(self, key: str) -> Any:
        position = self._index.get(key)
        value = _MISSING if position is None else self._at(position)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        """The value for key, or default (without the cost of raising KeyError)."""
        position = self._index.get(key)
        if position is None:
            return default
        value = self._at(position)
        return default if value is _MISSING else value

    def __contains__(self, key: object) -> bool:
        position = self._index.get(key)  # type: ignore[arg-type]
        return position is not None and self._at(position) is not _MISSING

    def _values(self) -> Iterator[Any]:
        store = self._store
        return map(_TABLE.__getitem__, store) if type(store) is array else iter(store)

    def __iter__(self) -> Iterator[str]:
        return (k for k, v in zip(self._keys, self._values()) if v is not _MISSING)

    def __len__(self) -> int:
        return sum(v is not _MISSING for v in self._values())

    def __repr__(self) -> str:
        return f"CompactMap({dict(self)!r})"

    def aligned(self, keys: tuple[str, ...]) -> tuple[Any, ...]:
        """The values for ``keys`` in order (None where absent), fast when they are this map's keys."""
        if keys is self._keys or keys == self._keys:
            return tuple(None if v is _MISSING else v for v in self._values())
        return tuple(self.get(k) for k in keys)

    def __reduce__(self):
        return (CompactMap, (self._keys, dict(self)))


def _codes(row: list[Any]) -> list[int] | None:
    """Table codes for a row of values, or None when one of them is not worth sharing."""
    codes = []
    for value in row:
        code = _code(value) if _repeats(value) else None
        if code is None:
            return None
        codes.append(code)
    return codes


def _repeats(value: Any) -> bool:
    """Values with a small range, that many units share: scores, yes/no, dates, small counts."""
    kind = type(value)
    return (value is _MISSING or value is None or kind is bool or kind is Decimal or kind is dt.date
            or (kind is int and -_SMALL_INT < value < _SMALL_INT))


def share(value: Any) -> Any:
    """One object for equal values of a small range (totals, subtotals) kept across many units."""
    if not _repeats(value):
        return value
    code = _code(value)
    return value if code is None else _TABLE[code]


def _code(value: Any) -> int | None:
    """The table code of a value; equal values share one code (and one object); None when full."""
    if value is _MISSING:
        return 0
    if value is None:
        return 1
    # Decimals by their digits and exponent: 1.5 and 1.50, 0 and -0 are equal but print differently.
    key = (Decimal, str(value)) if type(value) is Decimal else (type(value), value)
    code = _CODES.get(key)
    if code is None:
        if len(_TABLE) > TABLE_MAX:
            return None
        code = _CODES[key] = len(_TABLE)
        _TABLE.append(value)
    return code


def aligned(values: Mapping[str, Any], keys: tuple[str, ...]) -> tuple[Any, ...]:
    """The values of any mapping for ``keys`` in order, None where absent."""
    if isinstance(values, CompactMap):
        return values.aligned(keys)
    return tuple(values.get(k) for k in keys)


EMPTY: Mapping[str, Any] = CompactMap((), {})


def empty() -> Mapping[str, Any]:
    """The shared empty read-only mapping (a default that costs nothing per object)."""
    return EMPTY
