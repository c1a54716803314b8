"""Criteria spec loading: the shipped tables, and every kind of bad spec refused with a line."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import SPECS
from workbook_tools.problems import WorkbookToolsError
from workbook_tools.spec.criteria import CriteriaSpec, Section
from workbook_tools.spec.load import load_spec

GOOD = textwrap.dedent("""\
    kind: criteria
    id: demo
    version: '1'
    short_name: Demo
    sheet_name: Demo
    title: ['BẢNG DEMO']
    legal_basis: 'Văn bản demo'
    total: 10
    total_label: Tổng
    classification_label: Xếp loại
    signature_title: THỦ TRƯỞNG
    signature_hint: (Ký)
    columns:
      content: NỘI DUNG
      max: Điểm chuẩn
      evidence: Ghi chú
      scores:
        - {id: self, label: Điểm đạt, filled_by: unit}
    bands:
      levels:
        - {label: Tốt, min: 8}
        - {label: Yếu, min: 0}
    sections:
      - id: a
        stt: A
        text: Mục A
        max: 10
        items:
          - {id: a.1, stt: '1.10', text: 'Tiêu chí một', max: 4}
          - {id: a.2, stt: '1.2', text: 'Tiêu chí hai', max: 6}
""")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list:
    with pytest.raises(WorkbookToolsError) as info:
        load_spec(path)
    return list(info.value.problems)


def test_qcdc_spec_shape():
    spec = load_spec(SPECS / "qcdc-hd22.yaml")
    assert isinstance(spec, CriteriaSpec)
    assert spec.id == "qcdc-hd22"
    assert len(spec.criteria()) == 50
    assert {s.stt: s.max for s in spec.sections} == {"A": 10, "B": 8, "C": 9, "D": 73}
    d = spec.sections[3]
    assert [(s.stt, s.max) for s in d.items] == [("I", 55), ("II", 18)]
    assert sum(c.max for c in spec.criteria()) == Decimal(100)
    assert [c.label for c in spec.score_columns] == ["Điểm đạt"]


def test_qcdc_correction_of_d_i_4_is_recorded():
    spec = load_spec(SPECS / "qcdc-hd22.yaml")
    d_i_4 = spec.sections[3].items[0].items[3]
    assert isinstance(d_i_4, Section) and d_i_4.max == 10
    row_4_1 = d_i_4.items[0]
    assert row_4_1.stt == "4.1" and row_4_1.max == 2
    assert "1 điểm" in row_4_1.notes[0]
    assert any("D.I.4" in note and "4.1" in note for note in spec.notes)
    stts = [c.stt for c in spec.criteria()]
    assert stts.count("1.3") == 3  # twice in D.I.1 (source defect), once in D.II.1
    assert any('"3.2"' in note for note in spec.notes)


def test_dvcq_spec_shape():
    spec = load_spec(SPECS / "dvcq-qd248.yaml")
    assert len(spec.criteria()) == 24
    assert [s.max for s in spec.sections] == [10, 20, 20, 10, 15, 10, 5, 10]
    assert [(c.id, c.filled_by) for c in spec.score_columns] == [("self", "unit"), ("team", "team")]
    assert spec.score_columns[1].label == "Tổ KT, đánh giá chấm"


def test_ids_unique_and_text_nfc():
    import unicodedata
    for name in ("qcdc-hd22.yaml", "dvcq-qd248.yaml"):
        spec = load_spec(SPECS / name)
        ids = [c.id for c in spec.criteria()]
        assert len(ids) == len(set(ids))
        for c in spec.criteria():
            assert c.text == unicodedata.normalize("NFC", c.text) and c.text


def test_placeholder_bands_say_so():
    spec = load_spec(SPECS / "qcdc-hd22.yaml")
    assert spec.bands.placeholder
    assert [b.label for b in spec.bands.items] == ["Tốt", "Khá", "Trung bình", "Yếu"]
    assert spec.bands.classify(Decimal("89.99")) == "Khá"
    assert spec.bands.classify(Decimal(90)) == "Tốt"
    assert spec.bands.classify(Decimal(49)) == "Yếu"
    assert "tạm thời" in spec.bands.describe()


def test_stt_kept_as_printed_text(tmp_path):
    spec = load_spec(write(tmp_path, GOOD))
    assert [c.stt for c in spec.criteria()] == ["1.10", "1.2"]


def test_content_hash_ignores_comments_but_not_content(tmp_path):
    first = load_spec(write(tmp_path, GOOD)).content_hash
    second = load_spec(write(tmp_path, "# ghi chú\n" + GOOD)).content_hash
    third = load_spec(write(tmp_path, GOOD.replace("Tiêu chí hai", "Tiêu chí 2"))).content_hash
    assert first == second != third


@pytest.mark.parametrize("change, code, line", [
    (("max: 6}", "max: 5}"), "SPEC_SECTION_SUM", 27),
    (("total: 10", "total: 12"), "SPEC_TOTAL", 8),
    (("id: a.2,", "id: a.1,"), "SPEC_DUPLICATE_ID", 30),
    (("max: 4}", "max: 0}"), "SPEC_MAX_NOT_POSITIVE", 29),
    (("'Tiêu chí một'", "''"), "TEXT_EMPTY", 29),
    (("short_name: Demo", "short_name: Demo\ncolour: red"), "KEY_UNKNOWN", 5),
    (("id: demo", "id: Demo Spec"), "SPEC_BAD_ID", 2),
    (("{label: Yếu, min: 0}", "{label: Yếu, min: 1}"), "SPEC_BANDS", 20),
    (("filled_by: unit}", "filled_by: team}"), "SPEC_SCORE_COLUMNS", 17),
    (("legal_basis: 'Văn bản demo'\n", ""), "KEY_MISSING", 1),
    (("kind: criteria", "kind: bang_diem"), "SPEC_KIND", 1),
    (("    items:\n      - {id: a.1, stt: '1.10', text: 'Tiêu chí một', max: 4}\n"
      "      - {id: a.2, stt: '1.2', text: 'Tiêu chí hai', max: 6}\n", "    items: []\n"),
     "SPEC_EMPTY_SECTION", 27),
])
def test_bad_spec_refused_with_line(tmp_path, change, code, line):
    problems = problems_of(write(tmp_path, GOOD.replace(*change)))
    found = [p for p in problems if p.code == code]
    assert found, [p.render() for p in problems]
    assert found[0].line == line
    assert found[0].file.endswith("spec.yaml")
    assert found[0].fix


def test_section_sum_message_names_both_sums(tmp_path):
    problem = problems_of(write(tmp_path, GOOD.replace("max: 6}", "max: 5}")))[0]
    assert "10 điểm" in problem.message and "9 điểm" in problem.message
    assert "mục 'a'" not in problem.message  # the id is quoted as given
    assert "'a'" in problem.message


def test_uncorrected_source_table_is_refused(tmp_path):
    text = (SPECS / "qcdc-hd22.yaml").read_text(encoding="utf-8")
    marker = "              - id: d.i.4.1\n                stt: '4.1'\n                max: 2\n"
    assert marker in text
    path = write(tmp_path, text.replace(marker, marker.replace("max: 2", "max: 1")))
    problems = problems_of(path)
    assert [p.code for p in problems] == ["SPEC_SECTION_SUM"]
    assert "'d.i.4'" in problems[0].message and "10 điểm" in problems[0].message


def test_yaml_syntax_error_names_line(tmp_path):
    problems = problems_of(write(tmp_path, GOOD.replace("total: 10", "total: [10")))
    assert problems[0].code == "YAML_SYNTAX" and problems[0].line is not None


def test_duplicate_yaml_key(tmp_path):
    problems = problems_of(write(tmp_path, GOOD.replace("total: 10", "total: 10\ntotal: 10")))
    assert problems[0].code == "YAML_DUPLICATE_KEY" and problems[0].line == 9


def test_file_not_in_utf8_is_refused(tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_bytes(GOOD.encode("utf-16"))
    problems = problems_of(path)
    assert [p.code for p in problems] == ["FILE_UNREADABLE"] and problems[0].file == str(path)


def test_missing_file():
    with pytest.raises(WorkbookToolsError) as info:
        load_spec(Path("/nonexistent/spec.yaml"))
    assert info.value.problems[0].code == "FILE_NOT_FOUND"


def test_every_problem_rendered_in_vietnamese(tmp_path):
    problem = problems_of(write(tmp_path, GOOD.replace("total: 10", "total: 12")))[0]
    text = problem.render()
    assert text.startswith("LỖI [SPEC_TOTAL]") and "dòng 8" in text and "Cách sửa:" in text
