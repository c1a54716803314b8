"""One catalogue of user-facing problems.

Every problem a user can see has a code, a severity, a Vietnamese message saying what is
wrong and a Vietnamese fix saying what to do, plus where it is (file and line for text files;
file, sheet and cell for workbooks). Problems are data: callers collect them and the CLI prints.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"

# code: (severity, message template, fix template)
CATALOGUE: dict[str, tuple[str, str, str]] = {
    # --- text files (YAML, CSV) ---
    "FILE_NOT_FOUND": (ERROR, "Không tìm thấy tệp {path}.",
                       "Kiểm tra lại đường dẫn hoặc tên tệp."),
    "FILE_UNREADABLE": (ERROR, "Không đọc được tệp: {detail}.",
                        "Lưu lại tệp dạng văn bản UTF-8 rồi chạy lại."),
    "YAML_SYNTAX": (ERROR, "Tệp YAML sai cú pháp: {detail}.",
                    "Sửa thụt lề, dấu hai chấm hoặc dấu nháy ở dòng được chỉ ra."),
    "YAML_DUPLICATE_KEY": (ERROR, "Khóa '{key}' xuất hiện hai lần trong cùng một mục.",
                           "Xóa một trong hai dòng '{key}'."),
    "KEY_MISSING": (ERROR, "Thiếu khóa bắt buộc '{key}' trong {context}.",
                    "Thêm dòng '{key}: ...' vào {context}."),
    "KEY_UNKNOWN": (ERROR, "Khóa '{key}' không được hỗ trợ trong {context}.",
                    "Xóa hoặc sửa chính tả khóa này; các khóa hợp lệ: {allowed}."),
    "VALUE_TYPE": (ERROR, "Giá trị của '{key}' phải là {expected}, đang là '{value}'.",
                   "Sửa '{key}' thành {expected}."),
    "VALUE_CHOICE": (ERROR, "Giá trị '{value}' của '{key}' không hợp lệ.",
                     "Chọn một trong: {allowed}."),
    "TEXT_EMPTY": (ERROR, "Nội dung '{key}' đang để trống.",
                   "Nhập nội dung đúng như văn bản gốc."),
    # --- criteria specs ---
    "SPEC_DUPLICATE_ID": (ERROR, "Mã '{id}' bị trùng (đã dùng ở dòng {first_line}).",
                          "Đặt cho mỗi mục một mã riêng, không trùng lặp."),
    "SPEC_BAD_ID": (ERROR, "Mã '{id}' không hợp lệ.",
                    "Mã chỉ gồm chữ thường không dấu, chữ số, '-' hoặc '_', bắt đầu bằng chữ."),
    "SPEC_MAX_NOT_POSITIVE": (ERROR, "Điểm chuẩn của '{id}' phải lớn hơn 0, đang là {value}.",
                              "Sửa 'max' thành số dương đúng như văn bản gốc."),
    "SPEC_SECTION_SUM": (ERROR,
                         "Mục '{id}' ghi {declared} điểm nhưng các tiêu chí con cộng lại "
                         "được {actual} điểm.",
                         "Sửa điểm chuẩn của mục hoặc của các tiêu chí con cho khớp; nếu văn "
                         "bản gốc sai, ghi rõ việc hiệu chỉnh vào 'notes'."),
    "SPEC_TOTAL": (ERROR, "Tổng điểm chuẩn là {actual}, khác với 'total: {declared}'.",
                   "Sửa 'total' hoặc điểm chuẩn các mục cho khớp."),
    "SPEC_EMPTY_SECTION": (ERROR, "Mục '{id}' không có tiêu chí nào.",
                           "Thêm tiêu chí vào 'items' hoặc xóa mục này."),
    "SPEC_BANDS": (ERROR, "Thang xếp loại không hợp lệ: {detail}.",
                   "Liệt kê các mức từ cao xuống thấp, mỗi mức có 'label' và 'min' giảm dần, "
                   "mức cuối có min: 0."),
    "SPEC_SCORE_COLUMNS": (ERROR, "Cột điểm không hợp lệ: {detail}.",
                           "Cần đúng một cột 'filled_by: unit'; các cột khác 'filled_by: team'."),
    "SPEC_RULE": (ERROR, "Quy tắc kiểm tra '{rule}' không hợp lệ: {detail}.",
                  "Viết dạng 'ma_a + ma_b <= ma_c' với các mã chỉ tiêu kiểu số nguyên đã khai báo."),
    "SPEC_KIND": (ERROR, "Tệp có 'kind: {value}' không dùng được ở đây.",
                  "Dùng 'kind: criteria' cho bảng chấm điểm, 'kind: indicators' cho số liệu."),
    "SPEC_NOT_NFC": (WARNING, "Văn bản chưa ở dạng Unicode NFC; đã tự chuẩn hóa.",
                     "Lưu tệp bằng bộ gõ Unicode dựng sẵn để tránh sai khác khi so sánh."),
    # --- campaign and roster ---
    "CAMPAIGN_FORM_UNKNOWN": (ERROR, "Biểu mẫu '{form}' không có trong các tệp tiêu chí đã khai báo.",
                              "Khai báo tệp tiêu chí có id '{form}' trong 'specs', hoặc sửa tên biểu mẫu."),
    "CAMPAIGN_GROUP_UNKNOWN": (ERROR, "Nhóm '{group}' chưa được khai báo trong campaign.yaml.",
                               "Thêm nhóm '{group}' vào mục 'groups' hoặc sửa cột group của đơn vị."),
    "CAMPAIGN_DUPLICATE_SHEET": (ERROR, "Hai biểu mẫu cùng dùng tên trang tính '{sheet}'.",
                                 "Đặt 'sheet_name' khác nhau cho từng tệp tiêu chí."),
    "ROSTER_HEADER": (ERROR, "Danh sách đơn vị thiếu cột '{column}'.",
                      "Dòng đầu phải gồm các cột: {columns}."),
    "ROSTER_DUPLICATE_CODE": (ERROR, "Mã đơn vị '{unit_code}' bị trùng (đã có ở dòng {first_line}).",
                              "Mỗi đơn vị phải có một mã riêng."),
    "ROSTER_BAD_CODE": (ERROR, "Mã đơn vị '{unit_code}' không hợp lệ.",
                        "Mã chỉ gồm chữ không dấu, chữ số, '-' hoặc '_' (tối đa 20 ký tự)."),
    "ROSTER_EMPTY": (ERROR, "Danh sách đơn vị không có đơn vị nào.",
                     "Thêm ít nhất một dòng đơn vị dưới dòng tiêu đề."),
}


@dataclass(frozen=True)
class Problem:
    """One user-facing problem: what, where, and how to fix it."""

    code: str
    severity: str
    message: str
    fix: str
    file: str = ""
    line: int | None = None
    sheet: str = ""
    cell: str = ""
    value: str = ""

    def where(self) -> str:
        """Location as a user reads it: 'file, dòng 12' or 'file, trang QCDC, ô E12'."""
        parts = [self.file] if self.file else []
        if self.line is not None:
            parts.append(f"dòng {self.line}")
        if self.sheet:
            parts.append(f"trang '{self.sheet}'")
        if self.cell:
            parts.append(f"ô {self.cell}")
        return ", ".join(parts)

    def render(self) -> str:
        """One-line text: severity, code, where, what, fix."""
        label = "LỖI" if self.severity == ERROR else "CẢNH BÁO"
        where = self.where()
        head = f"{label} [{self.code}]" + (f" {where}:" if where else ":")
        return f"{head} {self.message} Cách sửa: {self.fix}"


def nfc(text: str) -> str:
    """Return text in Unicode NFC form."""
    return unicodedata.normalize("NFC", text)


def make_problem(code: str, *, file: str = "", line: int | None = None, sheet: str = "",
                 cell: str = "", value: object = "", **params: object) -> Problem:
    """Build a Problem from the catalogue, filling its templates with params."""
    severity, message, fix = CATALOGUE[code]
    fields = {"value": value, **params}
    return Problem(
        code=code, severity=severity,
        message=nfc(message.format(**fields)), fix=nfc(fix.format(**fields)),
        file=str(file), line=line, sheet=sheet, cell=cell, value=str(value),
    )


class WorkbookToolsError(Exception):
    """Raised when input cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        super().__init__("\n".join(p.render() for p in self.problems))

    def errors(self) -> tuple[Problem, ...]:
        """Problems of severity error."""
        return tuple(p for p in self.problems if p.severity == ERROR)
