"""The summary workbook written by a second process (``parallel.Apart``) while this one writes the rest."""

from __future__ import annotations

import errno
import os
import zipfile
from pathlib import Path

import pytest

from tests.test_collect import inbox, issued  # noqa: F401 - fixtures: the mixed inbox of test_collect
from workbook_tools import parallel
from workbook_tools.collect.pipeline import collect
from workbook_tools.outputs import write
from workbook_tools.problems import WorkbookToolsError

METHODS = ["spawn", "fork"] if os.name != "nt" else ["spawn"]


def write_pid(path: Path) -> None:
    path.write_text(str(os.getpid()))


def fail_with_disk_full(*_: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def fail_with_a_local_class(*_: object) -> None:
    class Local(Exception):  # cannot be pickled: it must still come back, as its text
        pass
    raise Local("hỏng giữa chừng")


def die(*_: object) -> None:
    os._exit(3)


@pytest.fixture
def apart_always(monkeypatch):
    monkeypatch.setattr(parallel, "APART_MIN_SIZE", {"fork": 1})
    monkeypatch.setattr(parallel, "APART_MIN_SIZE_OTHER", 1)
    monkeypatch.setenv("WORKBOOK_TOOLS_WORKERS", "2")


@pytest.mark.parametrize("method", METHODS)
def test_a_large_job_runs_in_another_process_and_a_small_one_here(method, apart_always, monkeypatch, tmp_path):
    monkeypatch.setenv("WORKBOOK_TOOLS_START_METHOD", method)
    with parallel.Apart(write_pid, (tmp_path / "large",), 10):
        pass
    with parallel.Apart(write_pid, (tmp_path / "small",), 0):
        pass
    monkeypatch.setenv("WORKBOOK_TOOLS_WORKERS", "1")  # one core: nothing to gain from a second process
    with parallel.Apart(write_pid, (tmp_path / "one-core",), 10):
        pass
    pids = {name: int((tmp_path / name).read_text()) for name in ("large", "small", "one-core")}
    assert pids["large"] != os.getpid() and pids["small"] == pids["one-core"] == os.getpid()


@pytest.mark.parametrize("method", METHODS)
def test_what_the_other_process_raises_is_raised_here(method, apart_always, monkeypatch):
    monkeypatch.setenv("WORKBOOK_TOOLS_START_METHOD", method)
    with pytest.raises(OSError) as info:
        with parallel.Apart(fail_with_disk_full, (), 10):
            pass
    assert info.value.errno == errno.ENOSPC
    with pytest.raises(RuntimeError, match="Local: hỏng giữa chừng"):
        with parallel.Apart(fail_with_a_local_class, (), 10):
            pass
    with pytest.raises(RuntimeError, match="exit code 3"):
        with parallel.Apart(die, (), 10):
            pass
    with pytest.raises(KeyError):  # the block's own error wins; the other process is waited for
        with parallel.Apart(fail_with_disk_full, (), 10):
            raise KeyError("block")


def test_workbook_tools_errors_cross_processes_whole():
    import pickle

    from workbook_tools.problems import make_problem

    error = WorkbookToolsError([make_problem("CLI_INBOX_MISSING", path="x")])
    assert pickle.loads(pickle.dumps(error)).problems == error.problems


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("method", METHODS)
def test_outputs_written_apart_are_the_same(method, campaign, inbox, apart_always, monkeypatch, tmp_path):  # noqa: F811
    collection = collect(campaign, inbox)
    here = write.write_outputs(collection, tmp_path / "here")
    monkeypatch.setenv("WORKBOOK_TOOLS_START_METHOD", method)
    written = write.write_outputs(collection, tmp_path / "apart", apart=True)
    assert [p.relative_to(tmp_path / "apart") for p in written] == [p.relative_to(tmp_path / "here") for p in here]
    assert _parts(tmp_path / "apart" / "tong-hop.xlsx") == _parts(tmp_path / "here" / "tong-hop.xlsx")
    assert not list((tmp_path / "apart").rglob("*.tmp"))


def test_a_summary_that_fails_apart_leaves_the_earlier_outputs(campaign, inbox, apart_always, monkeypatch,  # noqa: F811
                                                               tmp_path):
    collection = collect(campaign, inbox)
    out = tmp_path / "out"
    write.write_outputs(collection, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    monkeypatch.setenv("WORKBOOK_TOOLS_START_METHOD", METHODS[-1])
    monkeypatch.setattr(write, "write_summary", fail_with_disk_full)
    with pytest.raises(WorkbookToolsError) as info:
        write.write_outputs(collection, out, apart=True)
    assert [p.code for p in info.value.problems] == ["CLI_OUTPUT_UNWRITABLE"]
    assert "No space left" in info.value.problems[0].message
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
