"""The demo: generate the sample campaign, fill a realistic inbox, collect it.

The inbox looks like what a district officer copies together from e-mail and USB sticks: most
units' files filled with varied valid scores, saved before the deadline, some renamed, in
subfolders; and a few typical faults: a blank score, a score typed as text "4,5", a score above
its maximum pasted over the validation, a unit that sent a corrected file after a faulty one,
a unit that never answered, a late file, two units with equal totals, a stray PDF and a lock
file. Everything is seeded, so two runs build the same inbox.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import zipfile
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from workbook_tools.collect.pipeline import CollectResult, Progress, collect_campaign
from workbook_tools.data import sample_campaign, sample_previous
from workbook_tools.demo.fill import fill_workbook, sample_figures, sample_scores
from workbook_tools.demo.reports import foreign_report, plant_reports
from workbook_tools.generate.new_campaign import new_campaign
from workbook_tools.generate.run import GenerateResult, generate_campaign
from workbook_tools.problems import WorkbookToolsError, make_problem
from workbook_tools.report.document import build_report
from workbook_tools.spec.campaign import load_campaign

MARKER = ".workbook-tools-demo"
SAMPLE_CAMPAIGN = sample_campaign()
SAMPLE_PREVIOUS = sample_previous()


@dataclass(frozen=True)
class DemoResult:
    """Where the demo wrote its three folders, and what collect found."""

    generated: GenerateResult
    inbox: Path
    collected: CollectResult
    story: tuple[str, ...]  # what was planted in the inbox, for the user to find again
    report: Path | None = None


def run_demo(out_dir: Path | str = Path("output") / "demo", campaign_path: Path | str | None = None,
             progress: Progress | None = None) -> DemoResult:
    """Generate, fill an inbox, collect; the folders go under out_dir.

    Without ``campaign_path``, the sample campaign is copied into ``out_dir/dot-mau`` first (once):
    its key, register and outputs then live there, never beside the installed package's data."""
    out = Path(out_dir)
    if campaign_path is not None and not Path(campaign_path).is_file():
        raise WorkbookToolsError([make_problem("FILE_NOT_FOUND", path=str(campaign_path))])
    _prepare(out)
    sample = campaign_path is None
    campaign_path = sample_copy(out / "dot-mau") if sample else Path(campaign_path)
    generated = generate_campaign(campaign_path, out / "phat-hanh", force=True)  # the demo's own folder
    inbox = out / "hop-thu"
    story = build_inbox(generated, inbox)
    previous = SAMPLE_PREVIOUS if sample and SAMPLE_PREVIOUS.is_dir() else None
    collected = collect_campaign(campaign_path, inbox, out / "tong-hop", progress, previous=previous)
    report = None
    if generated.campaign.report_file:
        report = build_report(campaign_path, out / "tong-hop", previous, out / "bao-cao" /
                              f"bao-cao-{generated.campaign.year}.docx").path
    return DemoResult(generated, inbox, collected, tuple(story), report)


def sample_copy(folder: Path) -> Path:
    """The sample campaign copied into the demo's folder (made once, then reused)."""
    if not (folder / "campaign.yaml").is_file():
        shutil.rmtree(folder, ignore_errors=True)
        sample = load_campaign(SAMPLE_CAMPAIGN)
        new_campaign(SAMPLE_CAMPAIGN, sample.year, sample.deadline, folder)
    return folder / "campaign.yaml"


def _prepare(out: Path) -> None:
    """Start from an empty demo inbox; refuse to touch a folder the demo did not create."""
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise WorkbookToolsError([make_problem("CLI_OUTPUT_UNWRITABLE", path=str(out),
                                               detail="thư mục đã có dữ liệu khác, không phải của lệnh demo")])
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("Thư mục do lệnh 'workbook-tools demo' tạo ra.\n", encoding="utf-8")
    shutil.rmtree(out / "hop-thu", ignore_errors=True)


def build_inbox(generated: GenerateResult, inbox: Path, seed: int = 2023) -> list[str]:
    """Fill every unit's workbook into inbox (except one), planting the faults; returns the story."""
    campaign = generated.campaign
    rng = random.Random(seed)
    files = list(generated.files)
    zone = campaign.timezone
    deadline = dt.datetime.combine(campaign.deadline, dt.time(0, 0), tzinfo=zone)
    scored = campaign.scored_forms
    first, second = scored[0], scored[-1]
    story, previous = [], None
    for index, generated_file in enumerate(files):
        unit = generated_file.unit
        scores = sample_scores(campaign, rng, level=rng.uniform(0.55, 0.97))
        figures = sample_figures(campaign, rng)
        saved = deadline - dt.timedelta(days=rng.randint(1, 14), hours=rng.randint(0, 9), minutes=rng.randint(0, 59))
        folder = inbox / ("email" if index % 3 else "usb")
        name = generated_file.path.name if index % 4 else f"Bieu cham diem {index + 1:02d} - gui Phong Noi vu.xlsx"
        label = f"{unit.name} ({unit.code})"
        if index == 2:
            del scores[first.id][first.criteria()[0].id]
            story.append(f"{label}: bỏ trống điểm tiêu chí STT {first.criteria()[0].stt} bảng {first.short_name}.")
        elif index == 3:
            criterion = next(c for c in first.criteria() if c.max >= 5)
            scores[first.id][criterion.id] = "4,5"
            story.append(f"{label}: dán điểm '4,5' dạng chữ ở tiêu chí STT {criterion.stt} bảng {first.short_name} "
                         "(bảng của đơn vị không cộng ô này vào tổng: lỗi, đơn vị phải gõ lại số).")
        elif index == 5:
            criterion = second.criteria()[0]
            scores[second.id][criterion.id] = float(criterion.max + 2)
            story.append(f"{label}: dán điểm {criterion.max + 2} vượt điểm chuẩn {criterion.max} "
                         f"ở tiêu chí STT {criterion.stt} bảng {second.short_name}.")
        elif index == 6:
            faulty = {k: dict(v) for k, v in scores.items()}
            faulty[first.id][first.criteria()[1].id] = float(first.criteria()[1].max + 1)
            fill_workbook(campaign, generated_file.path, _fresh(folder / name), faulty, figures,
                          saved_at=saved - dt.timedelta(days=3))
            folder, saved = inbox / "email" / "gui-lai", saved + dt.timedelta(hours=2)
            story.append(f"{label}: gửi tệp có lỗi, 3 ngày sau gửi lại tệp đã sửa (thư mục gui-lai).")
        elif index == 8:
            story.append(f"{label}: không gửi tệp nào.")
            continue
        elif index == 10:
            saved = deadline + dt.timedelta(days=1, hours=9, minutes=15)
            story.append(f"{label}: lưu tệp ngày {saved:%d/%m/%Y} (sau hạn), nộp muộn.")
        elif index == 12 and previous is not None:
            scores = {k: dict(v) for k, v in previous.items()}
            story.append(f"{label}: tổng điểm bằng đơn vị liền trước (đồng hạng).")
        previous = scores
        fill_workbook(campaign, generated_file.path, _fresh(folder / name), scores, figures, saved_at=saved)
    story += plant_reports(generated, inbox, [0, 1, 4, 7, 9, 11])
    story += _pack(campaign, files[14], inbox, "zip")
    story += _pack(campaign, files[15], inbox, "eml")
    stray = _fresh(inbox / "email" / "Bao cao ket qua QCDC 2023.pdf")
    stray.write_bytes(b"%PDF-1.4\n% bao cao bang van ban, khong phai bieu mau\n%%EOF\n")
    lock = _fresh(inbox / "usb" / ("~$" + files[0].path.name))
    lock.write_bytes(b"\x00" * 165)
    story.append("Một tệp PDF báo cáo và một tệp khóa tạm '~$...' của Excel lẫn trong thư mục.")
    return story


def _pack(campaign, generated_file, inbox: Path, kind: str) -> list[str]:
    """Move a unit's filled workbook into a zip (with its report) or a saved e-mail (with a PDF)."""
    unit = generated_file.unit
    path = next(inbox.rglob(generated_file.path.name), None)
    if path is None:
        return []
    data, sent = path.read_bytes(), dt.datetime.fromtimestamp(path.stat().st_mtime, tz=campaign.timezone)
    path.unlink()
    if kind == "zip":
        target = _fresh(inbox / "zalo" / f"{unit.code} gui bieu mau va bao cao.zip")
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{unit.name}/{generated_file.path.name}", data)
            archive.writestr(f"{unit.name}/Báo cáo QCDC năm {campaign.year}.docx", foreign_report(campaign.year))
        os.utime(target, (sent.timestamp(), sent.timestamp()))
        return [f"{unit.name} ({unit.code}): gửi tệp nén .zip qua Zalo, gồm biểu mẫu và báo cáo Word tự soạn "
                "(đánh số khác đề cương, thiếu mục, một đầu mục gõ không dấu)."]
    message = EmailMessage()
    message["From"], message["To"] = "vanthu@example.vn", "phongnoivu@example.vn"
    message["Subject"], message["Date"] = f"{unit.name} gửi biểu mẫu chấm điểm", format_datetime(sent)
    message.set_content("Kính gửi Phòng Nội vụ, đơn vị gửi kèm biểu mẫu và báo cáo.")
    message.add_attachment(data, maintype="application", subtype="octet-stream", filename=generated_file.path.name)
    message.add_attachment(b"%PDF-1.4\n%%EOF\n", maintype="application", subtype="pdf", filename="Bao cao.pdf")
    _fresh(inbox / "email" / f"Thu {unit.code}.eml").write_bytes(message.as_bytes())
    return [f"{unit.name} ({unit.code}): thư điện tử lưu dạng .eml, đính kèm biểu mẫu và báo cáo PDF."]


def _fresh(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path

