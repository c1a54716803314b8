"""One catalogue of user-facing problems.

Every problem a user can see has a code, a severity, a Vietnamese message saying what is
wrong and a Vietnamese fix saying what to do, plus where it is (file and line for text files;
file, sheet and cell for workbooks). Problems are data: callers collect them (a ``ProblemSink``
for a returned workbook) and the faces (CLI, app) show them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """An error must be fixed before the file counts; a warning should be looked at."""

    ERROR = "error"
    WARNING = "warning"


ERROR, WARNING = Severity.ERROR, Severity.WARNING

# code: (severity, message template, fix template)
CATALOGUE: dict[str, tuple[Severity, str, str]] = {
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
    "OUTLINE_TOO_DEEP": (ERROR, "Mục '{id}' của đề cương có mục con lồng hai cấp; đề cương chỉ có hai cấp "
                                "(I., 1.).",
                         "Đưa các mục con của '{id}' lên làm mục của mục cha, hoặc gộp vào nội dung 'guidance'."),
    "CAMPAIGN_OUTLINE_UNKNOWN": (ERROR, "Báo cáo '{outline}' trong 'reports' không có trong các tệp đề cương đã "
                                        "khai báo.",
                                 "Khai báo tệp đề cương có id '{outline}' trong 'outlines', hoặc sửa tên."),
    "SPEC_KIND": (ERROR, "Tệp có 'kind: {value}' không dùng được ở đây.",
                  "Dùng 'kind: criteria' cho bảng chấm điểm, 'kind: indicators' cho số liệu."),
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
    "REGISTER_HEADER": (ERROR, "Sổ theo dõi thiếu cột '{column}'.",
                        "Dòng đầu của sổ theo dõi phải gồm các cột: {columns} (xóa tệp để lệnh generate tạo lại)."),
    "REGISTER_UNIT_UNKNOWN": (ERROR, "Mã đơn vị '{unit_code}' trong sổ theo dõi không có trong danh sách đơn vị.",
                              "Sửa mã đơn vị cho đúng cột code của roster.csv, hoặc xóa dòng này."),
    "REGISTER_DUPLICATE_UNIT": (ERROR, "Đơn vị '{unit_code}' có hai dòng trong sổ theo dõi (đã có ở dòng "
                                       "{first_line}).",
                                "Gộp hai dòng thành một."),
    "REGISTER_BAD_DATE": (ERROR, "Cột '{column}' của sổ theo dõi ghi '{value}', không phải ngày.",
                          "Ghi ngày dạng 09/11/2023 hoặc 09/11/2023 14:30 (giờ Việt Nam)."),
    "REGISTER_FILE_UNKNOWN": (WARNING, "Sổ theo dõi chọn tệp '{value}' cho đơn vị {unit_code}, nhưng không có tệp "
                                       "nào của đơn vị mang tên này.",
                              "Chép đúng tên tệp như cột 'file' của submissions.csv (trang 'Tệp đã nhận'); tạm "
                              "thời đơn vị được xét như chưa có lựa chọn."),
    # --- returned workbooks (collector) ---
    "WB_UNREADABLE": (ERROR, "Không đọc được tệp: {detail}.",
                      "Đề nghị đơn vị gửi lại đúng tệp biểu mẫu, lưu dạng Excel Workbook (.xlsx)."),
    "WB_NOT_OURS": (ERROR, "Tệp không có dữ liệu nhận diện của biểu mẫu (không phải tệp do "
                           "Phòng Nội vụ phát hành, hoặc nội dung đã bị chép sang tệp khác).",
                    "Đề nghị đơn vị điền vào đúng tệp biểu mẫu đã nhận và gửi lại tệp đó."),
    "WB_IDENTITY_MISMATCH": (ERROR, "Dữ liệu nhận diện trong tệp không thống nhất ('{key}': "
                                    "'{found}' và '{other}'): tệp có thể đã bị sửa.",
                             "Đề nghị đơn vị gửi lại tệp biểu mẫu gốc đã điền."),
    "WB_OTHER_CAMPAIGN": (ERROR, "Tệp thuộc đợt '{found}', không phải đợt '{expected}'.",
                          "Có thể đơn vị gửi nhầm tệp năm trước: đề nghị gửi tệp của đợt này."),
    "WB_UNKNOWN_UNIT": (ERROR, "Mã đơn vị '{unit_code}' trong tệp không có trong danh sách đơn vị.",
                        "Kiểm tra roster.csv hoặc đề nghị đơn vị gửi đúng tệp của mình."),
    "WB_SPEC_CHANGED": (ERROR, "Bảng '{form}' trong tệp được tạo từ nội dung tiêu chí khác với "
                               "bảng hiện hành (mã nội dung {found}, hiện hành {expected}).",
                        "Tạo lại biểu mẫu bằng lệnh generate và đề nghị đơn vị điền lại."),
    "WB_FORM_MISSING": (ERROR, "Tệp không có biểu mẫu '{form}' mà nhóm của đơn vị phải nộp.",
                        "Tạo lại biểu mẫu cho đơn vị và đề nghị điền lại."),
    "WB_SHEET_MISSING": (ERROR, "Không tìm thấy trang tính của biểu mẫu '{form}'.",
                         "Đề nghị đơn vị không xóa hay đổi tên trang tính và gửi lại tệp gốc."),
    "WB_SHEET_RENAMED": (WARNING, "Trang '{expected}' đã bị đổi tên thành '{sheet_name}'; "
                                  "vẫn đọc được theo mã dòng.",
                         "Nhắc đơn vị không đổi tên trang tính."),
    "WB_PROTECTION_REMOVED": (WARNING, "Trang tính đã bị bỏ khóa bảo vệ.",
                              "Kiểm tra kỹ nội dung; nhắc đơn vị không bỏ khóa trang tính."),
    "WB_COLUMNS_CHANGED": (ERROR, "Các cột của bảng đã bị thay đổi (ô {cell} phải là '{expected}').",
                           "Đề nghị đơn vị điền lại vào tệp biểu mẫu gốc, không chèn hay xóa cột."),
    "WB_ROW_MISSING": (ERROR, "Không tìm thấy dòng tiêu chí STT {stt} ({id}): dòng đã bị xóa.",
                       "Đề nghị đơn vị điền lại vào tệp biểu mẫu gốc, không xóa dòng."),
    "WB_ROW_DUPLICATED": (ERROR, "Dòng tiêu chí STT {stt} ({id}) xuất hiện nhiều lần.",
                          "Đề nghị đơn vị điền lại vào tệp biểu mẫu gốc, không sao chép dòng."),
    "WB_ROWS_MOVED": (WARNING, "{count} dòng đã bị chèn, xóa hoặc di chuyển; điểm vẫn được đọc "
                               "theo mã của từng dòng.",
                      "Nhắc đơn vị không chèn, xóa hay di chuyển dòng."),
    "WB_TEXT_CHANGED": (WARNING, "Nội dung tiêu chí STT {stt} đã bị sửa.",
                        "Điểm vẫn được đọc cho tiêu chí gốc; nhắc đơn vị không sửa nội dung."),
    "WB_MAX_CHANGED": (WARNING, "Điểm chuẩn của tiêu chí STT {stt} bị sửa thành {value} "
                                "(đúng là {max}); điểm được kiểm tra theo điểm chuẩn đúng.",
                       "Nhắc đơn vị không sửa điểm chuẩn."),
    "WB_FORMULA_REPLACED": (WARNING, "Ô này phải là công thức tự tính nhưng đã bị thay bằng "
                                     "giá trị '{value}'.",
                            "Tổng được tính lại từ các ô điểm; nhắc đơn vị không sửa ô tự tính."),
    "WB_CACHED_TOTAL": (WARNING, "Tổng điểm lưu trong tệp ({value}) khác tổng tính lại từ các ô "
                                 "điểm ({actual}).",
                        "Dùng tổng tính lại; kiểm tra xem tệp có bị sửa không."),
    "WB_FILENAME_OTHER_UNIT": (WARNING, "Tên tệp mang mã đơn vị '{named}' nhưng dữ liệu nhận diện "
                                        "là của đơn vị '{unit_code}'.",
                               "Kiểm tra xem đơn vị có gửi nhầm tệp không."),
    "SCORE_BLANK": (ERROR, "Tiêu chí STT {stt} chưa chấm (ô trống).",
                    "Nhập điểm từ 0 đến {max}; tiêu chí không đạt thì nhập 0."),
    "SCORE_TEXT": (WARNING, "Điểm '{value}' được nhập dạng chữ; đã hiểu là {number}.",
                   "Nhắc đơn vị nhập điểm dạng số."),
    "SCORE_TEXT_REFUSED": (ERROR, "Điểm '{value}' của tiêu chí STT {stt} được lưu dạng chữ, không phải số: bảng của "
                                  "đơn vị không cộng ô này vào tổng, nên tổng và xếp loại trên bản đơn vị ký khác với "
                                  "điểm huyện tính ({number}).",
                           "Xóa ô này, gõ lại số {number} (gõ trực tiếp, không dán), kiểm tra lại tổng rồi gửi lại tệp."),
    "SCORE_NOT_NUMBER": (ERROR, "Điểm '{value}' của tiêu chí STT {stt} không phải là số.",
                         "Nhập một số từ 0 đến {max}, ví dụ 1,5."),
    "SCORE_OUT_OF_RANGE": (ERROR, "Điểm {value} của tiêu chí STT {stt} nằm ngoài khoảng 0 đến "
                                  "{max} (điểm chuẩn).",
                           "Nhập lại điểm từ 0 đến {max}."),
    "FIG_BLANK": (WARNING, "Chỉ tiêu '{label}' chưa nhập số liệu.",
                  "Nhập số liệu; không có thì nhập 0."),
    "FIG_BAD_VALUE": (ERROR, "Chỉ tiêu '{label}': giá trị '{value}' không hợp lệ ({expected}).",
                      "Nhập lại đúng kiểu: {expected}."),
    "FIG_RULE": (ERROR, "{message}", "Kiểm tra lại các số liệu liên quan: {expression}."),
    "WB_SIGNATURE_MISSING": (ERROR, "Tệp không có chữ ký dữ liệu nhận diện (tạo bằng phiên bản cũ "
                                    "hoặc dữ liệu nhận diện đã bị thay).",
                             "Tạo lại biểu mẫu bằng lệnh generate và đề nghị đơn vị điền vào tệp mới."),
    "WB_SIGNATURE_BAD": (ERROR, "Chữ ký dữ liệu nhận diện không khớp (tệp ghi là của đơn vị "
                                "'{unit_code}'): mã đơn vị, đợt hoặc mã tệp đã bị sửa, hoặc tệp được "
                                "tạo với khóa bí mật khác.",
                         "Không dùng tệp này; đề nghị đơn vị gửi lại đúng tệp đã nhận. Nếu đã tạo lại "
                         "khóa bí mật, chép lại tệp khóa cũ rồi chạy lại."),
    "WB_SHEET_EXTRA": (WARNING, "Tệp có thêm trang '{sheet_name}' không thuộc biểu mẫu (trang được "
                                "chép hoặc thêm vào); trang này không được đọc.",
                       "Nhắc đơn vị không chép hay thêm trang tính vào biểu mẫu."),
    "WB_SHEETS_REORDERED": (WARNING, "Thứ tự các trang tính đã bị đổi ({order}); vẫn đọc theo tên trang.",
                            "Nhắc đơn vị không sắp xếp lại các trang tính."),
    # --- the inspection team's review workbook ---
    "REVIEW_NOT_REVIEW": (ERROR, "Tệp không phải phiếu chấm của Tổ kiểm tra do lệnh review tạo ra.",
                          "Dùng đúng tệp phiếu chấm (lệnh review tạo ra) sau khi Tổ KT đã chấm."),
    "REVIEW_SIGNATURE_BAD": (ERROR, "Chữ ký dữ liệu nhận diện của phiếu chấm không khớp: phiếu đã bị sửa "
                                    "hoặc được tạo với khóa bí mật khác.",
                             "Tạo lại phiếu chấm bằng lệnh review và nhập lại điểm của Tổ KT."),
    "REVIEW_RULE_CHANGED": (WARNING, "Phiếu chấm được lập theo quy tắc '{found}', đợt hiện dùng quy tắc "
                                     "'{expected}'; điểm cuối cùng được tính theo quy tắc hiện hành.",
                            "Kiểm tra review_rule trong campaign.yaml."),
    "REVIEW_SHEET_MISSING": (ERROR, "Phiếu chấm không có trang '{sheet_name}' của đơn vị {unit_code}.",
                             "Không xóa hay đổi tên trang; tạo lại phiếu chấm nếu cần."),
    "REVIEW_STALE": (WARNING, "Đơn vị đã gửi tệp khác sau khi lập phiếu chấm; điểm Tổ KT được áp vào "
                              "tệp mới nhất, nhưng điểm tự chấm trên phiếu có thể đã cũ.",
                     "Lập lại phiếu chấm cho đơn vị này (lệnh review) nếu điểm tự chấm đã thay đổi."),
    "REVIEW_INCOMPLETE": (ERROR, "Tổ KT mới chấm {done}/{count} tiêu chí bảng {form}; đợt yêu cầu Tổ KT "
                                 "chấm đủ mới xếp hạng.",
                          "Nhập điểm Tổ KT cho các dòng còn trống trên phiếu chấm rồi tổng hợp lại."),
    "REVIEW_REASON_MISSING": (WARNING, "Tổ KT chấm {team} (đơn vị tự chấm {own}) ở tiêu chí STT {stt} "
                                       "nhưng chưa ghi lý do điều chỉnh.",
                              "Ghi lý do vào cột 'Lý do điều chỉnh' để thông báo cho đơn vị."),
    # --- the inbox as a whole (collector) ---
    "SECRET_KEY_MISSING": (WARNING, "Không có tệp khóa bí mật {path}: không kiểm tra được chữ ký dữ liệu "
                                    "nhận diện của các tệp (không phát hiện được tệp bị sửa mã đơn vị).",
                           "Chép tệp khóa đã dùng khi tạo biểu mẫu vào {path} rồi chạy lại."),
    "SECRET_KEY_BAD": (ERROR, "Tệp khóa bí mật {path} bị hỏng (phải là một dòng chữ số thập lục phân).",
                       "Chép lại tệp khóa đã dùng khi tạo biểu mẫu; không sửa nội dung tệp này."),
    "UNIT_NEEDS_CHOICE": (ERROR, "Đơn vị {unit_code} có {count} tệp khác nhau mà thời gian nhận và thời gian lưu "
                                 "không cho biết tệp nào mới hơn: {files}. Chưa dùng tệp nào.",
                          "Hỏi đơn vị tệp nào là tệp cuối cùng, ghi tên tệp đó vào cột chosen_file của sổ theo dõi "
                          "(dòng của đơn vị {unit_code}) rồi tổng hợp lại."),
    "INBOX_EMPTY": (WARNING, "Thư mục nhận {path} không có biểu mẫu nào của đợt này ({count} tệp tìm thấy).",
                    "Kiểm tra lại đường dẫn thư mục nhận, và chép các tệp đơn vị gửi về vào đó rồi chạy lại."),
    "FILE_REJECTED": (ERROR, "Tệp bị loại: {reason}.",
                      "Đề nghị đơn vị gửi lại đúng tệp biểu mẫu .xlsx đã nhận, sau khi điền."),
    "UNIT_MISSING": (WARNING, "Đơn vị {unit_name} ({unit_code}) chưa nộp tệp hợp lệ nào.",
                     "Liên hệ đơn vị để nhận tệp; khi nhận được, chép vào thư mục nhận rồi chạy lại."),
    "SUB_LATE": (WARNING, "Tệp được nhận lúc {received_at} (theo {source}), sau hạn nộp {deadline}.",
                 "Ghi nhận nộp muộn khi đánh giá, xếp loại."),
    "GENERATE_FOLDER_ISSUED": (ERROR, "Thư mục {path} đã có biểu mẫu phát hành (có thể đã gửi cho đơn vị); không "
                                      "ghi đè.",
                               "Chọn thư mục khác bằng --out, hoặc thêm --force nếu muốn tạo lại (danh sách tệp "
                               "cũ được giữ lại với tên manifest-<ngày giờ>.csv)."),
    "CHECK_NOT_A_FILE": (ERROR, "{path} {detail}.",
                         "Chỉ định tệp .xlsx đơn vị gửi về; để kiểm tra cả thư mục, dùng lệnh collect --inbox "
                         "THƯ_MỤC."),
    # --- the units' narrative reports (Word) ---
    "REPORT_UNREADABLE": (ERROR, "Không đọc được báo cáo: {detail}.",
                          "Đề nghị đơn vị mở báo cáo bằng Word hoặc LibreOffice, lưu lại dạng Word (.docx) và "
                          "gửi lại."),
    "REPORT_NOT_READ": (WARNING, "Báo cáo dạng {kind} được lưu lại nhưng không đọc được theo mục: {reason}.",
                        "Nếu cần đưa vào bản tổng hợp, đề nghị đơn vị gửi thêm bản Word (.docx) theo mẫu."),
    "REPORT_SIGNATURE_BAD": (ERROR, "Dữ liệu nhận diện của mẫu báo cáo đã bị sửa (chữ ký không khớp) hoặc là "
                                    "của đợt khác: không tin mã đơn vị '{found}' ghi trong tệp; báo cáo được "
                                    "đọc theo đầu mục như báo cáo đơn vị tự soạn.",
                             "Đề nghị đơn vị viết vào đúng mẫu báo cáo của đợt này đã nhận và gửi lại."),
    "REPORT_UNIT_UNKNOWN": (WARNING, "Không xác định được báo cáo này của đơn vị nào (không có dữ liệu "
                                     "nhận diện, tên tệp và thư mục không chỉ ra đơn vị).",
                            "Đổi tên tệp trong thư mục nhận cho bắt đầu bằng mã đơn vị (ví dụ 03550_bao-cao.docx) "
                            "rồi tổng hợp lại."),
    "REPORT_OUTLINE_UNKNOWN": (WARNING, "Không nhận ra báo cáo theo đề cương nào (đầu mục không khớp đề "
                                        "cương của đợt).",
                               "Mở báo cáo kiểm tra; nếu là báo cáo theo đề cương, đề nghị đơn vị viết lại "
                               "vào mẫu báo cáo đã phát hành."),
    "REPORT_UNPLACED": (WARNING, "{count} đoạn không xếp được vào mục nào của đề cương; đã giữ ở "
                                 "\"Không xác định mục\" trong bản tổng hợp.",
                        "Xem các đoạn này trong tong-hop-bao-cao-don-vi.docx và chép vào đúng mục khi viết "
                        "báo cáo của huyện."),
    "REPORT_SECTIONS_EMPTY": (WARNING, "{report} chưa viết các mục: {sections}.",
                              "Đề nghị đơn vị bổ sung các mục còn trống (nếu có nội dung) và gửi lại báo cáo."),
    "REPORT_SEVERAL": (ERROR, "Đơn vị có {count} báo cáo '{report}' khác nhau mà không rõ bản nào mới hơn: "
                              "{files}. Chưa dùng bản nào.",
                       "Hỏi đơn vị bản nào là bản cuối, để lại trong thư mục nhận chỉ bản đó (chuyển các "
                       "bản kia ra chỗ khác) rồi tổng hợp lại."),
    "CACHE_IGNORED": (WARNING, "Không dùng bộ nhớ đệm của lần tổng hợp trước ({path}: {detail}); đã đọc lại mọi tệp.",
                      "Không cần làm gì: lần tổng hợp này ghi lại bộ nhớ đệm mới. Nếu thông báo lặp lại, xóa thư "
                      "mục chứa tệp đó."),
    "CLI_INBOX_MISSING": (ERROR, "Không tìm thấy thư mục nhận tệp {path}.",
                          "Kiểm tra lại đường dẫn sau --inbox."),
    "CLI_OUTPUT_UNWRITABLE": (ERROR, "Không ghi được kết quả vào {path}: {detail}.",
                              "Đóng tệp kết quả nếu đang mở trong Excel, hoặc chọn thư mục khác bằng --out."),
    "APP_OUTPUT_UNWRITABLE": (ERROR, "Không ghi được kết quả mới nhất vào {path}: {detail}.",
                              "Đóng các tệp kết quả đang mở trong Excel hoặc Word (và dọn bớt tệp nếu đĩa đầy), "
                              "rồi tải lại trang này: kết quả được ghi lại mỗi lần mở trang."),
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One user-facing problem: what, where, and how to fix it."""

    code: str
    severity: Severity
    message: str
    fix: str
    file: str = ""
    line: int | None = None
    sheet: str = ""
    cell: str = ""
    value: str = ""
    form: str = ""  # the form (spec id) a workbook problem concerns, when it is not a sheet

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
        label = "LỖI" if self.severity == Severity.ERROR else "CẢNH BÁO"
        where = self.where()
        head = f"{label} [{self.code}]" + (f" {where}:" if where else ":")
        return f"{head} {self.message} Cách sửa: {self.fix}"


def nfc(text: str) -> str:
    """Return text in Unicode NFC form."""
    return unicodedata.normalize("NFC", text)


def _as_typed(value: object) -> object:
    """A cell value as the person typed it: a whole number without '.0' (-1, not -1.0)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def make_problem(code: str, *, file: str = "", line: int | None = None, sheet: str = "",
                 cell: str = "", value: object = "", **params: object) -> Problem:
    """Build a Problem from the catalogue, filling its templates with params."""
    severity, message, fix = CATALOGUE[code]
    value = _as_typed(value)
    fields = {"value": value, "cell": cell, "sheet": sheet, **params}
    return Problem(
        code=code, severity=severity,
        message=nfc(message.format(**fields)), fix=nfc(fix.format(**fields)),
        file=str(file), line=line, sheet=sheet, cell=cell, value=str(value),
        form=str(params.get("form", "")),
    )


class ProblemSink:
    """Collects the problems found in one file, each tagged with the unit it concerns.

    Cells are given as Excel shows them: ``row`` and ``col`` are 1-based. A unit workbook's
    problems all concern its own unit (tag ''); a review workbook covers many units, so its
    reader takes ``for_unit`` views that add to the same list.
    """

    def __init__(self, file: str, unit: str = "", items: list[tuple[str, Problem]] | None = None):
        self.file, self.unit = file, unit
        self.items: list[tuple[str, Problem]] = [] if items is None else items

    def add(self, code: str, sheet: str = "", row: int | None = None, col: int | None = None,
            **params: object) -> Problem:
        """Record a problem from the catalogue at (row, col) of sheet, 1-based."""
        cell = excel_cell(row, col) if row and col else ""
        problem = make_problem(code, file=self.file, sheet=sheet, cell=cell, **params)
        self.items.append((self.unit, problem))
        return problem

    def for_unit(self, unit: str) -> ProblemSink:
        """A view of this sink whose problems concern ``unit``."""
        return ProblemSink(self.file, unit, self.items)

    def problems(self) -> tuple[Problem, ...]:
        """Every problem recorded, in order."""
        return tuple(p for _, p in self.items)

    def errors_since(self, mark: int) -> bool:
        """Whether an error was recorded after the first ``mark`` items."""
        return any(p.severity == Severity.ERROR for _, p in self.items[mark:])

    def keep(self, codes: frozenset[str]) -> None:
        """Drop every problem but the errors with one of these codes."""
        self.items[:] = [(u, p) for u, p in self.items if p.severity == Severity.ERROR and p.code in codes]


def excel_cell(row: int, col: int) -> str:
    """A1 reference of a 1-based cell, e.g. (12, 5) -> 'E12' ('' for a row or column below 1).

    Written out rather than taken from xlsxwriter, whose import costs more than the reading commands
    take to start (benchmarks/startup.py); tests/test_startup.py checks the two agree."""
    if row < 1 or col < 1:
        return ""
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row}"


def catalogue_table() -> list[tuple[str, Severity, str]]:
    """Every code with its severity and message template (for the README), in catalogue order."""
    return [(code, severity, message) for code, (severity, message, _fix) in CATALOGUE.items()]


class WorkbookToolsError(Exception):
    """Raised when input cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        super().__init__("\n".join(p.render() for p in self.problems))

    def __reduce__(self) -> tuple:
        return type(self), (self.problems,)  # pickled with its problems (it crosses processes)

    def errors(self) -> tuple[Problem, ...]:
        """Problems of severity error."""
        return tuple(p for p in self.problems if p.severity == Severity.ERROR)
