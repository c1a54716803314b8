"""The routes of the officer's app (Starlette, Jinja2 templates, a little htmx), and starting it."""

from __future__ import annotations

import datetime as dt
import signal
import socket
import threading
import webbrowser
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from workbook_tools.app.security import Guard, csrf_token, new_token, safe_name
from workbook_tools.app.service import (
    MAX_UPLOAD_BYTES,
    Desk,
    campaign_file,
    next_folder_name,
    sibling_campaigns,
    start_next_year,
)
from workbook_tools.app.views import board_rows, unit_view
from workbook_tools.outputs.ranking import ranking_name
from workbook_tools.problems import WorkbookToolsError

DOWNLOADS = ("tong-hop.xlsx", "tong-hop-bao-cao-don-vi.docx", "nhac-viec.xlsx", "units.csv", "scores.csv",
             "indicators.csv", "issues.csv", "submissions.csv", "bao-cao-don-vi.csv")
TEMPLATES = Environment(loader=PackageLoader("workbook_tools.app", "templates"),
                        autoescape=select_autoescape(["html"]))


@dataclass(frozen=True)
class AppConfig:
    """One running app: its campaign, port and session token."""

    campaign: Path
    port: int
    token: str


def create_app(config: AppConfig) -> Starlette:
    """The application for one campaign (routes behind the guard)."""
    pages = Pages(Desk(config.campaign), config)
    pages.desk.refresh()
    routes = [Route("/", pages.board), Route("/don-vi/{code}", pages.unit),
              Route("/nhan-tep", pages.receive, methods=["POST"]), Route("/ket-qua", pages.results),
              Route("/tai-ve/{name}", pages.download), Route("/phat-hanh", pages.issue, methods=["POST"]),
              Route("/phat-hanh.zip", pages.issued_zip), Route("/phat-hanh/{code}", pages.issued_file),
              Route("/bao-cao", pages.report, methods=["POST"]), Route("/bao-cao.docx", pages.report_file),
              Route("/to-kiem-tra", pages.review, methods=["POST"]), Route("/to-kiem-tra.xlsx", pages.review_file),
              Route("/to-kiem-tra/nhan", pages.receive_review, methods=["POST"]),
              Route("/dot-danh-gia", pages.campaigns), Route("/dot-danh-gia/mo", pages.open_campaign, methods=["POST"]),
              Route("/dot-danh-gia/moi", pages.next_year, methods=["POST"]),
              Mount("/static", StaticFiles(packages=[("workbook_tools.app", "static")]), name="static")]
    app = Starlette(routes=routes, exception_handlers={404: pages.not_found, Exception: pages.failure})
    app.add_middleware(Guard, token=config.token, port=config.port)
    return app


class Pages:
    """The route handlers: each asks the desk (the library) and renders a template."""

    def __init__(self, desk: Desk, config: AppConfig):
        self.desk, self.config = desk, config

    def page(self, name: str, **values) -> HTMLResponse:
        """A template rendered with what every page shows (campaign, deadline, form token)."""
        html = TEMPLATES.get_template(name).render(campaign=self.desk.campaign, csrf=csrf_token(self.config.token),
                                                  days_left=self.desk.days_left(), **values)
        return HTMLResponse(html)

    async def board(self, request: Request) -> Response:
        """Every unit with its state; filtered by state; the rows alone for htmx."""
        desk, wanted = self.desk, request.query_params.get("tinh-trang", "")
        rows = board_rows(desk.collection, desk.campaign) if desk.collection else []
        shown = [r for r in rows if not wanted or r.status == wanted]
        template = "board_rows.html" if request.headers.get("hx-target") == "bang" else "board.html"
        return self.page(template, rows=shown, wanted=wanted, counts=Counter(r.status for r in rows), collection=desk.collection,
                         inbox=desk.inbox_label)

    async def unit(self, request: Request) -> Response:
        """One unit: files, problems, the message to send."""
        code, desk = request.path_params["code"], self.desk
        if desk.collection is None or code not in desk.campaign.units_by_code:
            return self.page("missing.html", what="đơn vị này")
        return self.page("unit.html", unit=unit_view(desk.collection, code),
                         issued=desk.issued_file(code) is not None)

    async def receive(self, request: Request) -> Response:
        """Dropped files into the inbox (names made safe, sizes capped), then a collection."""
        if int(request.headers.get("content-length") or 0) > 4 * MAX_UPLOAD_BYTES:
            return self.page("received.html", received=[], refused="Tổng dung lượng quá lớn: thả ít tệp hơn mỗi lần.")
        form = await request.form(max_files=200, max_part_size=MAX_UPLOAD_BYTES)
        files, refused = await _uploads(form.getlist("tep"))
        received = self.desk.receive(files) if files else []
        return self.page("received.html", received=received, refused="; ".join(refused))

    async def results(self, request: Request) -> Response:
        """The outputs to download, and issuing the forms."""
        desk = self.desk
        problems = await run_in_threadpool(desk.outputs)
        if problems:  # a writing that failed is tried again each time the page is opened
            desk.write_again()
            problems = await run_in_threadpool(desk.outputs)
        present = [name for name in self.downloads() if (desk.out / name).is_file()]
        return self.page("results.html", present=present, problems=problems, issued=bool(desk.issued_files()),
                         report=desk.report_path.is_file(), review=desk.review_path.is_file(),
                         applied=desk.review.name if desk.review else "")

    async def download(self, request: Request) -> Response:
        """One output file (only the known names, only from the results folder)."""
        name = request.path_params["name"]
        if name not in self.downloads():
            return self.page("missing.html", what="tệp này")
        await run_in_threadpool(self.desk.outputs)  # the newest collection's, never a half-written file
        return self._file(self.desk.out / name)

    def downloads(self) -> tuple[str, ...]:
        """The outputs that may be downloaded: the summary, the CSVs, each form's ranking table."""
        return DOWNLOADS[:1] + tuple(ranking_name(spec) for spec in self.desk.campaign.scored_forms) + DOWNLOADS[1:]

    async def issue(self, request: Request) -> Response:
        """Generate the units' workbooks."""
        try:
            result = self.desk.issue()
        except WorkbookToolsError as exc:
            return self.page("issued.html", result=None, problems=exc.problems)
        return self.page("issued.html", result=result, problems=())

    async def issued_file(self, request: Request) -> Response:
        """One unit's issued workbook."""
        path = self.desk.issued_file(request.path_params["code"])
        return self._file(path) if path else self.page("missing.html", what="biểu mẫu của đơn vị này")

    async def issued_zip(self, request: Request) -> Response:
        """Every issued workbook as one zip."""
        data = self.desk.issued_zip()
        if data is None:
            return self.page("missing.html", what="biểu mẫu đã phát hành")
        name = f"{self.desk.campaign.id}-bieu-mau.zip"
        return Response(data, media_type="application/zip", headers={"Content-Disposition": f'attachment; filename="{name}"'})

    async def report(self, request: Request) -> Response:
        """Draft the district's report from the last results."""
        return self._done(lambda: self.desk.report(), "Đã soạn dự thảo báo cáo.", "/bao-cao.docx")

    async def report_file(self, request: Request) -> Response:
        """The draft report, once written."""
        return self._file(self.desk.report_path)

    async def review(self, request: Request) -> Response:
        """Write the inspection team's review workbook."""
        return self._done(lambda: self.desk.review_workbook(), "Đã tạo phiếu chấm cho Tổ kiểm tra.",
                          "/to-kiem-tra.xlsx")

    async def review_file(self, request: Request) -> Response:
        """The review workbook, once written."""
        return self._file(self.desk.review_path)

    async def receive_review(self, request: Request) -> Response:
        """The team's filled workbook back: kept, and the results collected with its scores."""
        form = await request.form(max_files=1, max_part_size=MAX_UPLOAD_BYTES)
        files, _refused = await _uploads(form.getlist("phieu"))
        if not files:
            return self.page("done.html", problems=(), refused="Chưa chọn tệp phiếu chấm (.xlsx).")
        if self.desk.collection is None:
            return self.page("done.html", problems=(), refused="Chưa có kết quả tổng hợp nào: hãy nhận tệp của các "
                             "đơn vị trước, rồi mới nhận phiếu chấm của Tổ kiểm tra.")
        name, data = files[0]
        return self._done(lambda: self.desk.receive_review(name, data),
                          "Đã nhận phiếu chấm của Tổ kiểm tra; kết quả đã tổng hợp lại theo điểm Tổ kiểm tra.", "/ket-qua")

    def _done(self, action, said: str, link: str) -> Response:
        try:
            action()
        except WorkbookToolsError as exc:
            return self.page("done.html", problems=exc.problems, refused="")
        return self.page("done.html", said=said, link=link, problems=(), refused="")

    def _file(self, path: Path) -> Response:
        if not path.is_file():
            return self.page("missing.html", what="tệp này")
        return FileResponse(path, filename=path.name)

    async def campaigns(self, request: Request) -> Response:
        """The open campaign, the others beside it, and starting next year's."""
        desk = self.desk
        others = [name for name, path in sibling_campaigns(desk.campaign_path).items()
                  if path != desk.campaign_path.resolve()]
        year = desk.campaign.year + 1
        return self.page("campaigns.html", others=others, year=year,
                         folder=desk.campaign_path.resolve().parent.name,
                         next_folder=next_folder_name(desk.campaign_path, desk.campaign.year, year),
                         next_deadline=desk.campaign.deadline.replace(year=desk.campaign.deadline.year + 1).isoformat(),
                         units=len(desk.campaign.units))

    async def open_campaign(self, request: Request) -> Response:
        """Switch to a campaign beside this one (by folder name) or anywhere (by the path typed)."""
        form = await request.form()
        typed = str(form.get("duong-dan", "")).strip()
        chosen = campaign_file(typed) if typed else sibling_campaigns(self.desk.campaign_path).get(
            str(form.get("thu-muc", "")))
        if chosen is None:
            return self.page("done.html", problems=(), refused="Không tìm thấy tệp campaign.yaml của đợt đánh giá "
                             "ở đường dẫn này: hãy chép lại đường dẫn của tệp (hoặc thư mục chứa nó).")
        try:
            return self._switch(chosen)
        except WorkbookToolsError as exc:
            return self.page("done.html", problems=exc.problems, refused="")

    async def next_year(self, request: Request) -> Response:
        """Start next year's campaign from this one, then open it."""
        form = await request.form()
        try:
            year, deadline = int(str(form.get("nam", ""))), dt.date.fromisoformat(str(form.get("han-nop", "")))
        except ValueError:
            return self.page("done.html", problems=(), refused="Năm hoặc hạn nộp không đúng (năm gồm 4 chữ số, hạn "
                             "nộp là một ngày).")
        try:
            return self._switch(start_next_year(self.desk.campaign_path, year, deadline))
        except WorkbookToolsError as exc:
            return self.page("done.html", problems=exc.problems, refused="")

    def _switch(self, campaign_file: Path) -> Response:
        desk = Desk(campaign_file)
        desk.refresh()
        self.desk = desk
        return Response(status_code=200, headers={"HX-Redirect": "/dot-danh-gia"})  # htmx opens the page

    async def not_found(self, request: Request, exc: Exception) -> Response:
        """A page that is not there, said in Vietnamese."""
        response = self.page("missing.html", what="trang này")
        response.status_code = 404
        return response

    async def failure(self, request: Request, exc: Exception) -> Response:
        """Any unexpected error: a page that says so, no traceback and no path."""
        return self.page("error.html")


async def _uploads(uploads: list) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The uploaded files that may be kept (safe name, size within the cap), and why the others may not."""
    files, refused = [], []
    for upload in uploads:
        name = safe_name(getattr(upload, "filename", "") or "")
        data = await upload.read() if hasattr(upload, "read") else b""
        if name is None:
            refused.append(f"'{getattr(upload, 'filename', '')}': tên tệp không dùng được")
        elif len(data) > MAX_UPLOAD_BYTES:
            refused.append(f"'{name}': tệp quá lớn")
        else:
            files.append((name, data))
    return files, refused


def free_port() -> int:
    """A free port on the loopback address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(campaign: Path, port: int | None, open_browser: bool, announce) -> None:
    """Start the app on 127.0.0.1 until Ctrl-C or SIGTERM; ``announce`` gets the address to open."""
    import uvicorn  # the server, only when the app is started

    config = AppConfig(campaign, port or free_port(), new_token())
    address = f"http://127.0.0.1:{config.port}/?token={config.token}"
    app = create_app(config)
    announce(address)
    if open_browser:
        threading.Timer(1.0, webbrowser.open, (address,)).start()
    # uvicorn shuts down gracefully on SIGINT/SIGTERM, then re-raises the signal to the handler that
    # was there before it: ours ends the command normally (exit 0) instead of dying by the signal.
    previous = {number: signal.signal(number, _stopped) for number in _STOP_SIGNALS}
    try:
        uvicorn.run(app, host="127.0.0.1", port=config.port, log_level="warning")
    except (_Stop, KeyboardInterrupt):
        pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGBREAK") if hasattr(signal, name))


class _Stop(Exception):
    """The officer (or the system) asked the app to stop."""


def _stopped(number: int, frame) -> None:
    raise _Stop()
