"""Spread per-file work over the machine's cores (processes), in order, with progress.

Small batches run in this process: starting workers costs more than it saves. Each worker
receives the shared context (campaign, key ...) once, through the pool initializer, so it works
under every start method: ``fork`` (Linux), ``spawn`` (Windows, macOS) — the environment variable
``WORKBOOK_TOOLS_START_METHOD`` forces one (the tests force ``spawn``).

``Apart`` runs one large job (writing the summary workbook) in a second process while this one
goes on with the rest.
"""

from __future__ import annotations

import importlib
import os
from typing import Any, Callable, Iterable, Iterator

MIN_PER_WORKER = 16  # below this many items per core, stay in one process
# The size (units) from which a job pays for a process of its own: a forked one starts at once and
# shares this one's memory; a spawned one (Windows) starts a new Python, imports the modules and
# gets its arguments pickled, which costs about a second on an old PC.
APART_MIN_SIZE = {"fork": 500}
APART_MIN_SIZE_OTHER = 3000
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


def _start_method() -> str:
    multiprocessing = importlib.import_module("multiprocessing")
    return os.environ.get("WORKBOOK_TOOLS_START_METHOD") or multiprocessing.get_context().get_start_method()


def _cores() -> int:
    return int(os.environ.get("WORKBOOK_TOOLS_WORKERS", 0)) or os.cpu_count() or 1


def _apart_method(size: int) -> str | None:
    """How to start a process for a job of this size, or None when it is better done here."""
    if size < min(*APART_MIN_SIZE.values(), APART_MIN_SIZE_OTHER) or _cores() < 2:
        return None  # (decided before importing multiprocessing: small runs never load it)
    method = _start_method()
    return method if size >= APART_MIN_SIZE.get(method, APART_MIN_SIZE_OTHER) else None


class Apart:
    """``function(*args)`` in a process of its own when ``size`` pays for one and there is a second
    core, else here and now. Used as a context manager: leaving the block waits for the process and
    raises what the function raised (or, when the block itself raised, only waits)."""

    def __init__(self, function: Callable[..., Any], args: tuple, size: int):
        self._process: Any = None
        method = _apart_method(size)
        if method is None:
            function(*args)
            return
        context = importlib.import_module("multiprocessing").get_context(method)
        self._answers, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_apart_main, args=(sender, function, args), daemon=True)
        self._process.start()
        sender.close()  # only the child holds it now: if the child dies, reading gives EOFError

    def __enter__(self) -> Apart:
        return self

    def __exit__(self, kind: type | None, error: BaseException | None, trace: Any) -> None:
        if self._process is None:
            return
        try:
            done, value = self._answers.recv()
        except (EOFError, OSError):
            self._process.join()
            done, value = False, RuntimeError(f"the process apart stopped (exit code {self._process.exitcode})")
        finally:
            self._process.join()
            self._answers.close()
        if not done and kind is None:
            raise value


def _apart_main(answers: Any, function: Callable[..., Any], args: tuple) -> None:
    """In the child: run the job and send back (True, None) or (False, the exception)."""
    try:
        function(*args)
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        try:
            answers.send((False, exc))
        except Exception:  # an exception that cannot be pickled: its text is enough
            answers.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
    else:
        answers.send((True, None))
    finally:
        answers.close()
