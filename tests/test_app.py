"""The officer's app through its routes: what it shows, what it refuses, what it receives."""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile

import pytest
from starlette.testclient import TestClient

from tests.helpers import campaign_copy
from workbook_tools.app.security import csrf_token
from workbook_tools.app.server import AppConfig, create_app
from workbook_tools.demo.fill import fast_fill, sample_figures, sample_scores
from workbook_tools.spec.campaign import load_campaign

PORT, TOKEN = 8765, "t0ken-for-tests"
ORIGIN = f"http://127.0.0.1:{PORT}"


@pytest.fixture()
def app_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # outputs go to output/<id>/... under the working folder
    return campaign_copy(tmp_path / "dot", lambda text: text + "inbox: hop-thu\n")


@pytest.fixture()
def client(app_dir):
    app = create_app(AppConfig(app_dir / "campaign.yaml", PORT, TOKEN))
    with TestClient(app, base_url=ORIGIN) as test_client:
        yield test_client


def signed_in(client) -> TestClient:
    response = client.get(f"/?token={TOKEN}", follow_redirects=False)
    assert response.status_code == 303 and "wt_token" in response.headers["set-cookie"]
    assert "httponly" in response.headers["set-cookie"].lower()
    return client


def workbook(generated, code: str, seed: int, blank_row: str | None = None) -> bytes:
    campaign = load_campaign(generated.campaign.source_file)
    rng = random.Random(seed)
    scores = sample_scores(campaign, rng, 0.8)
    if blank_row:
        del scores["qcdc-hd22"][blank_row]
    blank = next(f.path for f in generated.files if f.unit.code == code).read_bytes()
    return fast_fill(campaign, blank, scores, sample_figures(campaign, rng),
                     dt.datetime(2023, 11, 5, 9, 0, tzinfo=campaign.timezone))


def post(client, url: str, **kwargs):
    return client.post(url, headers={"Origin": ORIGIN, "X-CSRF-Token": csrf_token(TOKEN)}, **kwargs)


def test_nothing_without_the_token_or_from_another_host(client):
    refused = client.get("/")
    assert refused.status_code == 403 and "Xã Sì Lở Lầu" not in refused.text and "?token=" in refused.text
    assert client.get("/?token=wrong", follow_redirects=False).status_code == 403
    assert client.get("/", headers={"Host": f"evil.example:{PORT}"}).status_code == 421
    assert client.get("/", headers={"Host": "127.0.0.1:9999"}).status_code == 421
    signed_in(client)
    board = client.get("/")
    assert board.status_code == 200 and "Bảng theo dõi" in board.text and "Chưa có tệp nào" in board.text


def test_changes_need_our_origin_and_form_token(client, generated, app_dir):
    signed_in(client)
    files = {"tep": ("03550.xlsx", workbook(generated, "03550", 1))}
    assert client.post("/nhan-tep", files=files).status_code == 403  # no form token
    crossed = client.post("/nhan-tep", files=files, headers={"Origin": "http://evil.example",
                                                             "X-CSRF-Token": csrf_token(TOKEN)})
    assert crossed.status_code == 403
    assert not (app_dir / "hop-thu").exists()  # nothing was received


def test_drop_files_then_the_board_the_unit_and_the_downloads(client, generated, app_dir):
    signed_in(client)
    files = [("tep", ("03550.xlsx", workbook(generated, "03550", 1, blank_row="a.1"))),
             ("tep", ("../../ra-ngoai.xlsx", workbook(generated, "CQ02", 2))),
             ("tep", ("CON.xlsx", b"x")),
             ("tep", ("03550.xlsx", workbook(generated, "03550", 3, blank_row="a.1")))]
    received = post(client, "/nhan-tep", files=files)
    assert received.status_code == 200, received.text
    assert "Đã nhận 3 tệp" in received.text and "CON.xlsx&#39;: tên tệp không dùng được" in received.text
    inbox = app_dir / "hop-thu"
    assert sorted(p.name for p in inbox.iterdir()) == ["03550 (2).xlsx", "03550.xlsx", "ra-ngoai.xlsx"]
    assert not (app_dir.parent / "ra-ngoai.xlsx").exists()
    board = client.get("/")
    assert "Xã Sì Lở Lầu" in board.text and "Cần chọn tệp" in board.text  # two files, same times
    assert "Phòng Nội vụ" in board.text and "Hợp lệ" in board.text      # CQ02's file counts
    assert "<code>hop-thu</code>" in board.text and str(app_dir) not in board.text  # no path of the machine
    assert "<th>Báo cáo QCDC</th>" in board.text and "Chưa gửi" in board.text  # the narrative reports' state
    only = client.get("/?tinh-trang=chua-nop", headers={"HX-Request": "true", "HX-Target": "bang"})
    assert "<table" in only.text and "Xã Sì Lở Lầu" not in only.text and "<html" not in only.text
    unit = client.get("/don-vi/03550")
    assert "Tin nhắn gửi đơn vị" in unit.text and "Kính gửi: UBND XÃ SÌ LỞ LẦU" in unit.text
    assert "03550 (2).xlsx" in unit.text and "Chép tin nhắn" in unit.text
    summary = client.get("/tai-ve/tong-hop.xlsx")
    assert summary.status_code == 200 and summary.content[:2] == b"PK"
    results = client.get("/ket-qua").text
    assert "bang-xep-loai-qcdc-hd22.docx" in results  # each form's ranking table, ready to sign
    ranking = client.get("/tai-ve/bang-xep-loai-qcdc-hd22.docx")
    assert ranking.status_code == 200 and ranking.content[:2] == b"PK"
    assert "Không tìm thấy" in client.get("/tai-ve/..%2F..%2Fcampaign.yaml").text
    assert "Không tìm thấy" in client.get("/tai-ve/campaign.yaml").text


def test_issue_forms_and_download_them(client):
    signed_in(client)
    issued = post(client, "/phat-hanh")
    assert "Đã tạo 35 biểu mẫu" in issued.text
    archive = client.get("/phat-hanh.zip")
    assert archive.status_code == 200 and archive.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
    assert sum(n.endswith(".xlsx") for n in names) == 35 and sum(n.endswith(".docx") for n in names) == 70
    again = post(client, "/phat-hanh")
    assert "đã có biểu mẫu phát hành" in again.text
    one = client.get("/phat-hanh/03550")
    assert one.status_code == 200 and one.content[:2] == b"PK"
    assert "03550_" in one.headers["content-disposition"]
    assert "Không tìm thấy" in client.get("/phat-hanh/XX99").text
    assert "Không tìm thấy" in client.get("/phat-hanh/..%2Fmanifest").text


def test_errors_show_no_traceback_and_no_path(app_dir, monkeypatch):
    app = create_app(AppConfig(app_dir / "campaign.yaml", PORT, TOKEN))
    client = signed_in(TestClient(app, base_url=ORIGIN, raise_server_exceptions=False))

    def broken(files):
        raise RuntimeError(f"boom in {app_dir}")
    monkeypatch.setattr("workbook_tools.app.service.Desk.receive", lambda self, files: broken(files))
    failed = post(client, "/nhan-tep", files={"tep": ("a.xlsx", b"x")})
    assert "Có lỗi khi xử lý yêu cầu" in failed.text
    assert "Traceback" not in failed.text and str(app_dir) not in failed.text


def test_the_app_command_without_a_campaign_opens_a_copy_of_the_sample(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import workbook_tools.app.server as server
    from workbook_tools.cli import main

    started = {}
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(server, "serve", lambda campaign, port, browser, announce: (
        started.update(campaign=campaign, browser=browser), announce("http://127.0.0.1:1/?token=x")))
    result = CliRunner().invoke(main, ["app", "--no-browser"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("http://127.0.0.1:")
    assert started == {"campaign": tmp_path / "dot-mau" / "campaign.yaml", "browser": False} or \
        started["campaign"].resolve() == (tmp_path / "dot-mau" / "campaign.yaml").resolve()
    assert (tmp_path / "dot-mau" / "campaign.yaml").is_file()  # the key and register live here, not in the package


def test_report_and_the_inspection_teams_round(client, generated, app_dir):
    from decimal import Decimal

    from tests.test_review import team_fill

    signed_in(client)
    assert "disabled" in client.get("/ket-qua").text  # nothing to report before any file
    early = post(client, "/to-kiem-tra/nhan", files={"phieu": ("phieu.xlsx", b"PK\x03\x04")})
    assert "Chưa có kết quả tổng hợp nào" in early.text  # a review before any collection is not kept
    assert not (app_dir.parent / "output").exists() or not any((app_dir.parent / "output").rglob("da-cham/*"))
    post(client, "/nhan-tep", files=[("tep", ("03550.xlsx", workbook(generated, "03550", 1))),
                                     ("tep", ("CQ02.xlsx", workbook(generated, "CQ02", 2)))])
    drafted = post(client, "/bao-cao")
    assert "Đã soạn dự thảo báo cáo" in drafted.text
    report = client.get("/bao-cao.docx")
    assert report.status_code == 200 and report.content[:2] == b"PK"
    assert "Đã tạo phiếu chấm cho Tổ kiểm tra" in post(client, "/to-kiem-tra").text
    blank = client.get("/to-kiem-tra.xlsx")
    assert blank.status_code == 200
    (app_dir / "phieu.xlsx").write_bytes(blank.content)
    campaign = load_campaign(app_dir / "campaign.yaml")
    first = campaign.form("qcdc-hd22").criteria()[0]
    filled = team_fill(campaign, app_dir / "phieu.xlsx", app_dir / "da-cham.xlsx",
                       {"03550": {"qcdc-hd22": {first.id: Decimal(0)}}})
    back = post(client, "/to-kiem-tra/nhan", files={"phieu": ("phiếu đã chấm.xlsx", filled.read_bytes())})
    assert "Đã nhận phiếu chấm của Tổ kiểm tra" in back.text, back.text
    assert "Đang áp dụng phiếu chấm" in client.get("/ket-qua").text
    notices = app_dir.parent / "output" / campaign.id / "tong-hop" / "thong-bao"
    assert any(notices.glob("03550_*"))  # collected with the team's scores: a notice of the result
    refused = post(client, "/to-kiem-tra/nhan", files={"phieu": ("khac.xlsx", b"PK\x03\x04 hong")})
    assert "class=\"bad\"" in refused.text and "Traceback" not in refused.text
    assert "Đang áp dụng phiếu chấm: " in client.get("/ket-qua").text  # the good one stays in force
    assert len(list((app_dir.parent / "output" / campaign.id / "to-kiem-tra" / "da-cham").iterdir())) == 1


def test_next_years_campaign_from_the_app_then_open_either(client, app_dir):
    signed_in(client)
    page = client.get("/dot-danh-gia")
    assert "Tạo đợt năm 2024" in page.text and "dot-2024" in page.text and "Số đơn vị" in page.text
    assert "/tmp" not in page.text and str(app_dir) not in page.text  # no path of the machine
    wrong = post(client, "/dot-danh-gia/moi", data={"nam": "hai nghìn", "han-nop": "2024-11-09"})
    assert "Năm hoặc hạn nộp không đúng" in wrong.text
    made = post(client, "/dot-danh-gia/moi", data={"nam": "2024", "han-nop": "2024-11-09"})
    assert made.headers["hx-redirect"] == "/dot-danh-gia"
    assert (app_dir.parent / "dot-2024" / "campaign.yaml").is_file()
    opened = client.get("/dot-danh-gia")
    assert "trước ngày 09/11/2024" in opened.text and "Mở đợt dot" in opened.text
    again = post(client, "/dot-danh-gia/moi", data={"nam": "2024", "han-nop": "2024-11-09"})
    assert "class=\"bad\"" in again.text  # the folder exists: refused, nothing overwritten
    assert "Không tìm thấy" in post(client, "/dot-danh-gia/mo", data={"thu-muc": ".."}).text
    back = post(client, "/dot-danh-gia/mo", data={"thu-muc": "dot"})
    assert back.headers["hx-redirect"] == "/dot-danh-gia"
    assert "trước ngày 09/11/2023" in client.get("/dot-danh-gia").text


def test_open_a_campaign_anywhere_by_its_path(client, app_dir, tmp_path):
    signed_in(client)
    elsewhere = campaign_copy(tmp_path / "o-dia-khac" / "dot-2022", lambda text: text.replace("year: 2023", "year: 2022")
                               .replace("id: phong-tho-2023", "id: phong-tho-2022"))
    quoted = post(client, "/dot-danh-gia/mo", data={"duong-dan": f' "{elsewhere / "campaign.yaml"}" '})
    assert quoted.headers.get("hx-redirect") == "/dot-danh-gia", quoted.text
    assert quoted.headers["hx-redirect"] == "/dot-danh-gia"  # Windows' "Copy as path" quotes are fine
    assert "Năm</th><td>2022" in client.get("/dot-danh-gia").text
    by_folder = post(client, "/dot-danh-gia/mo", data={"duong-dan": str(app_dir)})
    assert by_folder.headers["hx-redirect"] == "/dot-danh-gia"
    assert "Năm</th><td>2023" in client.get("/dot-danh-gia").text
    for wrong in (str(tmp_path / "khong-co"), str(tmp_path)):
        refused = post(client, "/dot-danh-gia/mo", data={"duong-dan": wrong})
        assert "Không tìm thấy tệp campaign.yaml" in refused.text and "hx-redirect" not in refused.headers
    (tmp_path / "hong.yaml").write_text("id: [", encoding="utf-8")
    broken = post(client, "/dot-danh-gia/mo", data={"duong-dan": str(tmp_path / "hong.yaml")})
    assert "class=\"bad\"" in broken.text and "Traceback" not in broken.text
    assert "Năm</th><td>2023" in client.get("/dot-danh-gia").text  # the open campaign stays open


def test_the_board_comes_before_the_outputs_and_downloads_wait_for_them(client, generated, app_dir, monkeypatch):
    """After a drop the board has the unit at once; the outputs are written after, newest last, and
    a download or the results page waits for them; outputs that cannot be written say so."""
    import threading

    from workbook_tools.app import service
    from workbook_tools.problems import WorkbookToolsError, make_problem

    signed_in(client)
    gate, written, real = threading.Event(), [], service.write_collection

    def slow_write(collection, out):
        gate.wait(30)
        written.append(sum(u.file is not None for u in collection.units))
        return real(collection, out)

    monkeypatch.setattr(service, "write_collection", slow_write)
    for code, seed in (("03550", 1), ("CQ02", 2)):
        received = post(client, "/nhan-tep", files={"tep": (f"{code}.xlsx", workbook(generated, code, seed))})
        assert received.status_code == 200 and not gate.is_set()  # answered while the writing waits
    board = client.get("/")
    assert "/don-vi/03550" in board.text and "/don-vi/CQ02" in board.text
    got = {}
    reader = threading.Thread(target=lambda: got.update(csv=client.get("/tai-ve/units.csv")))
    reader.start()
    reader.join(0.5)
    assert reader.is_alive() and not written  # the download waits for the writing
    gate.set()
    reader.join(30)
    assert written[-1] == 2 and len(written) <= 2  # the newest collection written last
    units_csv = got["csv"].content.decode("utf-8-sig")
    assert sum(",valid," in line or ",VALID," in line.upper() for line in units_csv.splitlines()) >= 2, units_csv

    def failing(collection, out):
        raise WorkbookToolsError([make_problem("CLI_OUTPUT_UNWRITABLE", path=str(out), detail="đĩa đầy")])

    monkeypatch.setattr(service, "write_collection", failing)
    post(client, "/nhan-tep", files={"tep": ("03550 sửa.xlsx", workbook(generated, "03550", 3))})
    results = client.get("/ket-qua").text
    assert "Không ghi được kết quả" in results and "đĩa đầy" in results and "tải lại trang này" in results
    assert "--out" not in results and "Traceback" not in results
    monkeypatch.setattr(service, "write_collection", lambda collection, out: 1 / 0)  # a bug: the page still answers
    assert "Không ghi được kết quả" in client.get("/ket-qua").text
    monkeypatch.setattr(service, "write_collection", real)  # the cause mended: the page writes them again
    again = client.get("/ket-qua").text
    assert "Không ghi được kết quả" not in again and "tong-hop.xlsx" in again
    assert "03550 sửa.xlsx" in client.get("/tai-ve/submissions.csv").content.decode("utf-8-sig")
