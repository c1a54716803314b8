"""Spread per-file work over the machine's cores (processes), in order, with progress.

Small batches run in this process: starting workers costs more than it saves. Each worker
receives the shared context (campaign, key ...) once, through the pool initializer, so it works
under every start method: ``fork`` (Linux), ``spawn`` (Windows, macOS) — the environment variable
``WORKBOOK_TOOLS_START_METHOD`` forces one (the tests force ``spawn``).
"""

from __future__ import annotations

import importlib
import os
from typing import Any, Callable, Iterable, Iterator

MIN_PER_WORKER = 16  # below this many items per core, stay in one process
_context: Any = None


def workers_for(count: int, requested: int | None = None) -> int:
    """How many processes to use for ``count`` items (1 = stay in this process)."""
    cores = requested or int(os.environ.get("WORKBOOK_TOOLS_WORKERS", 0)) or os.cpu_count() or 1
    return max(1, min(cores, count // MIN_PER_WORKER))


def _init(context: Any) -> None:
    global _context
    _context = context


def _call(job: tuple[Callable[[Any, Any], Any], Any]) -> Any:
    function, item = job
    return function(_context, item)


def ordered_map(function: Callable[[Any, Any], Any], context: Any, items: list,
                progress: Callable[[int, int], None] | None = None,
                workers: int | None = None) -> Iterator[Any]:
    """Yield ``function(context, item)`` for each item, in order; ``function`` must be top-level."""
    count = workers_for(len(items), workers)
    done = 0
    if count == 1:
        results: Iterable[Any] = (function(context, item) for item in items)
        for result in results:
            done += 1
            if progress:
                progress(done, len(items))
            yield result
        return
    method = os.environ.get("WORKBOOK_TOOLS_START_METHOD") or None
    # the pool's modules cost more to import than a small batch takes: loaded only for a batch worth it
    # (benchmarks/startup.py)
    futures = importlib.import_module("concurrent.futures")
    multiprocessing = importlib.import_module("multiprocessing")
    with futures.ProcessPoolExecutor(max_workers=count, initializer=_init, initargs=(context,),
                                     mp_context=multiprocessing.get_context(method)) as pool:
        chunk = max(1, min(8, len(items) // (count * 8)))  # small chunks: no idle worker at the end
        for result in pool.map(_call, ((function, item) for item in items), chunksize=chunk):
            done += 1
            if progress:
                progress(done, len(items))
            yield result
