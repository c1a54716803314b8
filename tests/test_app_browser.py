"""The officer's whole day in a real browser (Playwright driving Debian's chromium, headless).

The app runs as the officer starts it (``workbook-tools app``, in a process of its own); the test
opens the printed address, issues the forms and downloads them as a zip, drops the units' returned
files (the demo's inbox: workbooks, a zip, an e-mail, a PDF, a lock file) onto the page, watches
the board, opens a unit with an error, copies its message and downloads the summary. Screenshots
of every step go to ``$WT_SCREENSHOTS`` when set (else the test's temporary folder).
"""

from __future__ import annotations

import csv
import io
import os
import re
import signal
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from tests.helpers import campaign_copy
from workbook_tools.demo.run import build_inbox
from workbook_tools.generate.report_template import report_file_name
from workbook_tools.spec.campaign import load_campaign

CHROMIUM = Path("/usr/bin/chromium")


def require_browser():
    """Playwright and chromium, or a skip (a failure in CI)."""
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("gói Python playwright")
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    if missing:
        reason = "cần " + ", ".join(missing) + " cho kiểm thử bằng trình duyệt thật"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture()
def running_app(tmp_path):
    """``workbook-tools app`` started for a copy of the sample campaign; yields (address, process)."""
    folder = campaign_copy(tmp_path / "dot", lambda text: text + "inbox: hop-thu\n")
    process = subprocess.Popen([sys.executable, "-m", "workbook_tools", "app", str(folder / "campaign.yaml"),
                                "--no-browser"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, encoding="utf-8")
    address = process.stdout.readline().strip()
    try:
        assert address.startswith("http://127.0.0.1:"), process.stderr.read()
        yield address, process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_the_officers_day_in_a_real_browser(running_app, tmp_path):
    require_browser()
    from playwright.sync_api import expect, sync_playwright

    address, process = running_app
    shots = Path(os.environ.get("WT_SCREENSHOTS") or tmp_path / "anh")
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True,
                                      locale="vi-VN")
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=address.split("/?")[0])
        page = context.new_page()
        page.goto(address)
        expect(page.get_by_text("Chưa có tệp nào trong thư mục nhận")).to_be_visible()
        page.screenshot(path=shots / "1-bang-trong.png")

        blanks = _issue_and_download(page, tmp_path, shots)
        returned = _returned_files(blanks, tmp_path / "thu-don-vi")
        page.get_by_role("link", name="Bảng theo dõi").click()
        page.set_input_files("#tep", returned)
        page.get_by_role("button", name="Nhận và tổng hợp").click()
        expect(page.locator("#ket-qua-nhan")).to_contain_text(f"Đã nhận {len(returned)} tệp", timeout=60_000)
        rows = page.locator("table.board tbody tr")
        expect(rows).to_have_count(35, timeout=30_000)  # the board updated in place, every unit listed
        expect(page.locator("tr.chua-nop")).to_have_count(1)
        page.screenshot(path=shots / "3-bang-sau-khi-nhan.png", full_page=True)

        page.get_by_role("link", name=re.compile(r"^Có lỗi")).click()
        expect(page).to_have_url(re.compile(r"tinh-trang=co-loi"))
        expect(page.locator(".filters a.chon")).to_have_text(re.compile(r"^Có lỗi"))
        with_errors = page.locator("tr.co-loi")
        assert with_errors.count() >= 2 and page.locator("tr.hop-le").count() == 0
        page.screenshot(path=shots / "4-loc-co-loi.png", full_page=True)

        with_errors.first.get_by_role("link").click()
        expect(page.get_by_role("heading", name="Lỗi và cảnh báo")).to_be_visible()
        assert page.locator("tr.error").count() >= 1
        expect(page.get_by_role("link", name="Tải biểu mẫu đã phát hành cho đơn vị")).to_be_visible()
        message = page.locator("#tin-nhan").input_value()
        assert message.startswith("Kính gửi: ") and "lỗi cần sửa" in message
        page.get_by_role("button", name="Chép tin nhắn").click()
        expect(page.get_by_role("button", name="Đã chép")).to_be_visible()
        assert page.evaluate("navigator.clipboard.readText()") == message
        page.screenshot(path=shots / "5-mot-don-vi.png", full_page=True)

        page.get_by_role("link", name="Kết quả, phát hành").click()
        with page.expect_download() as download:
            page.get_by_role("link", name="tong-hop.xlsx").click()
        assert download.value.suggested_filename == "tong-hop.xlsx"
        summary = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()), read_only=True)
        assert "Tổng hợp" in summary.sheetnames
        page.get_by_role("button", name="Soạn dự thảo báo cáo từ kết quả mới nhất").click()
        with page.expect_download() as download:
            page.locator("#bao-cao").get_by_role("link", name="Tải về").click()
        assert download.value.suggested_filename == "bao-cao-2023.docx"
        page.screenshot(path=shots / "6-ket-qua.png", full_page=True)
        page.get_by_role("link", name="Đợt đánh giá").click()
        expect(page.get_by_role("button", name="Tạo đợt năm 2024")).to_be_visible()
        page.screenshot(path=shots / "7-dot-danh-gia.png", full_page=True)
        browser.close()

    process.send_signal(signal.SIGTERM)  # the app stops cleanly
    assert process.wait(timeout=20) == 0
    assert "Traceback" not in process.stderr.read()


def _issue_and_download(page, tmp_path: Path, shots: Path) -> Path:
    """Issue the forms on 'Kết quả, phát hành', download the zip; returns the folder it unpacks to."""
    from playwright.sync_api import expect

    page.get_by_role("link", name="Kết quả, phát hành").click()
    page.get_by_role("button", name="Tạo biểu mẫu cho các đơn vị").click()
    expect(page.locator("#phat-hanh")).to_contain_text("Đã tạo 35 biểu mẫu", timeout=120_000)
    page.screenshot(path=shots / "2-phat-hanh.png", full_page=True)
    with page.expect_download() as download:
        page.locator("#phat-hanh").get_by_role("link", name="Tải về (.zip)").click()
    blanks = tmp_path / "bieu-mau"
    with zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes())) as archive:
        archive.extractall(blanks)
    assert len(list(blanks.glob("*.xlsx"))) == 35
    return blanks


def _returned_files(blanks: Path, inbox: Path) -> list[Path]:
    """The demo's inbox built from the downloaded forms, as a flat list of files to drop."""
    campaign = load_campaign(blanks.parent / "dot" / "campaign.yaml")
    units = {unit.code: unit for unit in campaign.units}
    with (blanks / "manifest.csv").open(encoding="utf-8-sig", newline="") as stream:
        files = tuple(SimpleNamespace(unit=units[row["unit_code"]], path=blanks / row["file"])
                      for row in csv.DictReader(stream))
    reports = tuple(SimpleNamespace(unit=unit, outline_id=outline.id, path=blanks / report_file_name(unit, outline))
                    for unit in campaign.units for outline in campaign.outlines_for(unit))
    assert all(report.path.is_file() for report in reports)  # the zip carries the report templates
    build_inbox(SimpleNamespace(campaign=campaign, files=files, reports=reports), inbox)
    return sorted(path for path in inbox.rglob("*") if path.is_file())
