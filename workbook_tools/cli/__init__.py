"""The command line: parse options, call one library function per command, print (in Vietnamese).

One module per command (``cli.collect``, ``cli.generate``, ...), imported only when that command
runs (``cli.group``): starting the command line imports click and nothing of the library. The text
printed is built in ``cli.text`` from the data the library returns. Library exceptions become
``click.ClickException`` at the boundary (``cli.common``). The cli may import every stage; nothing
imports it.
"""

from __future__ import annotations

import sys

import click

from workbook_tools import __version__
from workbook_tools.cli.group import CONTEXT, LazyGroup

# name: (where the command is, the first paragraph of its help: `workbook-tools --help` lists it
# without importing the command; tests/test_startup.py checks the two agree)
COMMANDS = {
    "app": ("workbook_tools.cli.app:app",
            "Mở ứng dụng trên trình duyệt: nhận tệp, bảng theo dõi, tin nhắn cho đơn vị, tải kết quả."),
    "check": ("workbook_tools.cli.check:check",
              "Kiểm tra từng tệp đơn vị gửi về: đơn vị nào, tổng điểm, mọi lỗi kèm ô và cách sửa."),
    "collect": ("workbook_tools.cli.collect:collect",
                "Tổng hợp mọi tệp trong thư mục nhận: kiểm tra, xếp hạng, ghi bảng tổng hợp và các tệp CSV."),
    "demo": ("workbook_tools.cli.demo:demo",
             "Chạy thử trọn quy trình trên đợt mẫu: tạo biểu mẫu, giả lập tệp đơn vị gửi về, tổng hợp."),
    "generate": ("workbook_tools.cli.generate:generate",
                 "Tạo biểu mẫu Excel đã khóa cho từng đơn vị trong danh sách."),
    "new-campaign": ("workbook_tools.cli.new_campaign:new_campaign_command",
                     "Tạo đợt đánh giá năm mới từ đợt năm trước: tệp đợt, danh sách đơn vị, sổ theo dõi, "
                     "khóa mới."),
    "report": ("workbook_tools.cli.report:report",
               "Soạn dự thảo báo cáo của huyện (.docx) từ kết quả tổng hợp, có so sánh với năm trước."),
    "review": ("workbook_tools.cli.review:review",
               "Tạo phiếu chấm cho Tổ kiểm tra, đánh giá: mỗi đơn vị một trang, điểm tự chấm đã khóa."),
    "spec": ("workbook_tools.cli.spec:spec", "Kiểm tra các tệp tiêu chí (criteria spec files)."),
}


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings=CONTEXT)
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
