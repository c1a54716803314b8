"""The command line: parse options, call one library function per command, print (in Vietnamese).

The text printed is built in ``cli.text`` from the data the library returns. Library exceptions
become ``click.ClickException`` here, at the boundary. The cli may import every stage; nothing
imports it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from workbook_tools import __version__
from workbook_tools.cli.text import check_table, describe_spec, submission_json, summary_lines, summary_text
from workbook_tools.collect.pipeline import collect_campaign
from workbook_tools.demo.run import run_demo, sample_copy
from workbook_tools.generate.new_campaign import new_campaign
from workbook_tools.generate.run import generate_campaign
from workbook_tools.outputs.messages import check_message
from workbook_tools.outputs.ranking import ranking_name
from workbook_tools.problems import WorkbookToolsError
from workbook_tools.read.check import check_files
from workbook_tools.report.document import build_report
from workbook_tools.review.workbook import build_review
from workbook_tools.spec.check import check_spec_files

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class ProblemsError(click.ClickException):
    """A library error shown as its list of problems."""

    def __init__(self, error: WorkbookToolsError):
        super().__init__("\n".join(p.render() for p in error.problems))

    def show(self, file=None) -> None:  # noqa: D102 - click API
        click.echo(self.format_message(), err=True)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", message="workbook-tools %(version)s")
def main() -> None:
    """Công cụ biểu mẫu chấm điểm QCDC, DVCQ cho cấp huyện.

    (Locked self-assessment workbooks: generate them per unit, collect them back.)
    """
    _force_utf8()


def _force_utf8() -> None:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
            stream.reconfigure(encoding="utf-8")


@main.command(context_settings=CONTEXT)
@click.argument("campaign", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục ghi tệp (mặc định: output/<mã đợt>/phat-hanh/). Output folder.")
@click.option("--unit", "units", multiple=True, metavar="MÃ",
              help="Chỉ tạo cho đơn vị có mã này (dùng nhiều lần được). Only this unit code.")
@click.option("--force", is_flag=True,
              help="Tạo lại vào thư mục đã có biểu mẫu phát hành (giữ danh sách tệp cũ). Overwrite issued files.")
def generate(campaign: Path, out_dir: Path | None, units: tuple[str, ...], force: bool) -> None:
    """Tạo biểu mẫu Excel đã khóa cho từng đơn vị trong danh sách.

    (Generate one locked workbook per roster unit, plus manifest.csv.)
    """
    try:
        result = _with_progress(lambda progress: generate_campaign(campaign, out_dir, units, progress, force),
                                "Đang tạo biểu mẫu")
    except WorkbookToolsError as exc:
        raise ProblemsError(exc) from exc
    if units and not result.files:
        raise click.ClickException(f"Không có đơn vị nào có mã: {', '.join(units)}.")
    click.echo(f"Đã tạo {len(result.files)} biểu mẫu cho đợt '{result.campaign.name}'"
               + (f" và {len(result.reports)} mẫu báo cáo Word (.docx)." if result.reports else "."))
    click.echo(f"Thư mục: {result.out_dir}")
    click.echo(f"Danh sách tệp và mã SHA-256: {result.manifest}")
    if result.register_created:
        click.echo(f"Đã tạo sổ theo dõi {result.register_file}: ghi vào đây ngày nhận, gia hạn, tệp được chọn "
                   "của từng đơn vị khi cần (mở bằng Excel).")
    if result.key_created:
        click.echo(f"Đã tạo khóa bí mật {result.key_file}: giữ kín, không gửi cho đơn vị; cần tệp này "
                   "khi tổng hợp để phát hiện tệp bị sửa mã đơn vị.")


@main.command("new-campaign", context_settings=CONTEXT)
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", required=True, type=int, help="Năm của đợt mới, ví dụ 2024. The new year.")
@click.option("--deadline", required=True, type=click.DateTime(formats=["%Y-%m-%d", "%d/%m/%Y"]),
              help="Hạn nộp của đợt mới (2024-11-09 hoặc 09/11/2024). The new deadline.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục mới cho đợt (phải chưa có hoặc còn trống). The new campaign folder.")
def new_campaign_command(source: Path, year: int, deadline, out_dir: Path) -> None:
    """Tạo đợt đánh giá năm mới từ đợt năm trước: tệp đợt, danh sách đơn vị, sổ theo dõi, khóa mới.

    (Start next year's campaign from last year's, ready for generate.)
    """
    try:
        result = new_campaign(source, year, deadline.date(), out_dir)
    except WorkbookToolsError as exc:
        raise ProblemsError(exc) from exc
    click.echo(f"Đã tạo đợt '{result.campaign.name}' (mã {result.campaign.id}, hạn nộp trước ngày "
               f"{result.campaign.deadline:%d/%m/%Y}) trong {result.folder}:")
    for path in result.files:
        click.echo(f"  - {path.name}")
    click.echo("Kiểm tra lại danh sách đơn vị (roster.csv) và nội dung 'request' trong campaign.yaml, rồi chạy: "
               f"workbook-tools generate {result.folder / 'campaign.yaml'}")


@main.group(context_settings=CONTEXT)
def spec() -> None:
    """Kiểm tra các tệp tiêu chí (criteria spec files)."""


@spec.command("check", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def spec_check(files: tuple[Path, ...]) -> None:
    """In cây tiêu chí với tổng điểm từng mục, hoặc các lỗi của tệp.

    (Print each spec as a tree with its sums, or its errors; exit 1 if any file is invalid.)
    """
    results = check_spec_files(list(files))
    for result in results:
        click.echo(f"== {result.path}")
        for line in describe_spec(result.spec) if result.spec else ():
            click.echo(line)
        for problem in result.problems:
            click.echo(problem.render())
        click.echo("Hợp lệ." if result.ok else "KHÔNG hợp lệ: sửa các lỗi trên rồi chạy lại.")
    if not all(r.ok for r in results):
        sys.exit(1)


@main.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--campaign", "campaign_path", required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp campaign.yaml của đợt. The campaign file.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON. Print JSON.")
def check(files: tuple[Path, ...], campaign_path: Path, as_json: bool) -> None:
    """Kiểm tra từng tệp đơn vị gửi về: đơn vị nào, tổng điểm, mọi lỗi kèm ô và cách sửa.

    (Check returned files one by one; exit 1 if any file has errors.)
    """
    try:
        campaign, submissions, notes = check_files(campaign_path, list(files))
    except WorkbookToolsError as exc:
        raise ProblemsError(exc) from exc
    for note in notes:
        click.echo(note.render(), err=True)
    if as_json:
        payload = [submission_json(campaign, s) for s in submissions]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for submission in submissions:
            click.echo("\n".join(summary_lines(campaign, submission)))
            message = check_message(campaign, submission)
            if message:
                click.echo("Tin nhắn gửi đơn vị (chép để gửi qua Zalo, thư điện tử):")
                click.echo(message)
        click.echo("")
        for line in check_table(campaign, submissions):
            click.echo(line)
        for form in campaign.scored_forms:
            click.echo(f"Thang xếp loại {form.short_name}: {form.bands.describe()}.")
    if not all(s.ok for s in submissions):
        sys.exit(1)


@main.command(context_settings=CONTEXT)
@click.argument("campaign", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--inbox", required=True, type=click.Path(path_type=Path),
              help="Thư mục chứa các tệp đơn vị gửi về (đọc cả thư mục con; không sửa gì trong đó). "
                   "Folder of returned files.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục ghi kết quả (mặc định: output/<mã đợt>/tong-hop/). Output folder.")
@click.option("--strict", is_flag=True,
              help="Trả mã lỗi 1 nếu có tệp nào còn lỗi. Exit 1 when any submission has an error.")
@click.option("--review", "review_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Phiếu chấm Tổ KT đã chấm (lệnh review tạo ra). The team's filled review workbook.")
@click.option("--previous", "previous_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục kết quả năm trước (của lệnh collect), để so sánh. Last year's results.")
def collect(campaign: Path, inbox: Path, out_dir: Path | None, strict: bool, review_file: Path | None,
            previous_dir: Path | None) -> None:
    """Tổng hợp mọi tệp trong thư mục nhận: kiểm tra, xếp hạng, ghi bảng tổng hợp và các tệp CSV.

    (Collect an inbox: check every file, rank, write tong-hop.xlsx and the CSVs.)
    """
    try:
        result = _with_progress(lambda progress: collect_campaign(campaign, inbox, out_dir, progress,
                                                                  review_file, previous_dir))
    except WorkbookToolsError as exc:
        raise ProblemsError(exc) from exc
    _print_collected(result)
    if strict and result.collection.has_errors:
        sys.exit(1)


def _with_progress(run, label: str = "Đang đọc tệp"):
    """Run with a progress bar on stderr, created once the number of files is known."""
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label=label, file=sys.stderr)
            bar.__enter__()
        bar.update(1)

    try:
        return run(progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def _print_collected(result) -> None:
    for line in summary_text(result.collection):
        click.echo(line)
    click.echo(f"Kết quả: {result.out_dir}")
    click.echo(f"Bảng tổng hợp: {result.out_dir / 'tong-hop.xlsx'} (trang 'Lỗi cần xử lý' liệt kê mọi lỗi).")
    for spec in result.collection.campaign.scored_forms:
        click.echo(f"Bảng tổng hợp kết quả xếp loại {spec.short_name} để ký: {result.out_dir / ranking_name(spec)}")


@main.command(context_settings=CONTEXT)
@click.argument("campaign", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--port", type=int, help="Cổng (mặc định: một cổng trống). Port on 127.0.0.1.")
@click.option("--no-browser", is_flag=True, help="Không tự mở trình duyệt. Do not open the browser.")
def app(campaign: Path | None, port: int | None, no_browser: bool) -> None:
    """Mở ứng dụng trên trình duyệt: nhận tệp, bảng theo dõi, tin nhắn cho đơn vị, tải kết quả.

    Không nêu CAMPAIGN thì mở bản sao đợt mẫu trong thư mục dot-mau/ của thư mục đang đứng.

    (Start the officer's local web app on 127.0.0.1; Ctrl-C stops it.)
    """
    from workbook_tools.app.server import serve  # the web stack, only for this command

    # without a campaign, a copy of the sample in the working folder (never writing beside the package)
    chosen = campaign or sample_copy(Path("dot-mau"))
    try:
        serve(chosen, port, not no_browser,
              lambda address: click.echo(f"{address}\nỨng dụng đang chạy cho đợt {chosen}. Mở địa chỉ trên bằng "
                                         "trình duyệt; nhấn Ctrl-C để dừng."))
    except WorkbookToolsError as exc:
        raise ProblemsError(exc) from exc


@main.command(context_settings=CONTEXT)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("output") / "demo", show_default=True,
              help="Thư mục ghi biểu mẫu, hộp thư mẫu và kết quả. Output folder.")
def demo(out_dir: Path) -> None:
    """Chạy thử trọn quy trình trên đợt mẫu: tạo biểu mẫu, giả lập tệp đơn vị gửi về, tổng hợp.

    (Generate the sample campaign, fill a realistic inbox with typical faults, collect it.)
    """
    try:
        result = _with_progress(lambda progress: run_demo(out_dir, progress=progress))
    except WorkbookToolsError as exc:
        raise ProblemsError(exc) from exc
    click.echo(f"Đã tạo {len(result.generated.files)} biểu mẫu: {result.generated.out_dir}")
    click.echo(f"Hộp thư mẫu (tệp các đơn vị gửi về): {result.inbox}")
    click.echo("Trong hộp thư mẫu có:")
    for line in result.story:
        click.echo(f"  - {line}")
    _print_collected(result.collected)
    if result.report:
        click.echo(f"Dự thảo báo cáo của huyện (có so sánh với năm trước): {result.report}")


@main.command(context_settings=CONTEXT)
@click.argument("campaign", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--inbox", required=True, type=click.Path(path_type=Path),
              help="Thư mục chứa các tệp đơn vị gửi về. Folder of returned files.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp phiếu chấm (mặc định: output/<mã đợt>/to-kiem-tra/phieu-cham-to-kiem-tra.xlsx). "
                   "Output file.")
def review(campaign: Path, inbox: Path, out_file: Path | None) -> None:
    """Tạo phiếu chấm cho Tổ kiểm tra, đánh giá: mỗi đơn vị một trang, điểm tự chấm đã khóa.

    (Build the inspection team's locked review workbook from the collected submissions.)
    """
    try:
        result = _with_progress(lambda progress: build_review(campaign, inbox, out_file, progress))
    except WorkbookToolsError as exc:
        raise ProblemsError(exc) from exc
    click.echo(f"Đã tạo phiếu chấm cho {len(result.units)} đơn vị: {result.path}")
    if result.skipped:
        names = ", ".join(f"{u.name} ({u.code})" for u in result.skipped)
        click.echo(f"Chưa có tệp nên không có trong phiếu: {names}.")
    click.echo("Tổ KT nhập điểm vào cột 'Tổ KT, đánh giá chấm' và lý do; sau đó chạy "
               "'workbook-tools collect ... --review <tệp phiếu chấm>'.")


@main.command(context_settings=CONTEXT)
@click.argument("campaign", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--results", "results_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục kết quả của lệnh collect (units.csv, scores.csv, indicators.csv). Results folder.")
@click.option("--previous", "previous_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục kết quả năm trước, để so sánh. Last year's results folder.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp .docx (mặc định: output/<mã đợt>/bao-cao/bao-cao-<năm>.docx). Output file.")
def report(campaign: Path, results_dir: Path, previous_dir: Path | None, out_file: Path | None) -> None:
    """Soạn dự thảo báo cáo của huyện (.docx) từ kết quả tổng hợp, có so sánh với năm trước.

    (Draft the district's report as a Word document from the collected results.)
    """
    try:
        result = build_report(campaign, results_dir, previous_dir, out_file)
    except WorkbookToolsError as exc:
        raise ProblemsError(exc) from exc
    click.echo(f"Đã soạn dự thảo báo cáo: {result.path}")
    click.echo(f"{len(result.sentences)} đoạn số liệu lấy từ {results_dir}; các chỗ '[CẦN VIẾT: ...]' "
               "(tô vàng) là phần cán bộ cần viết.")
