"""The CSV contracts' columns and coded values, shared by the writer (``outputs.csv``) and the
reader of last year's results (``results.years``). Their meaning is in the README."""

from enum import StrEnum


class Verdict(StrEnum):
    """What became of a file found in the inbox (``submissions.csv``)."""

    USED = "used"              # the file that counts for its unit
    SUPERSEDED = "superseded"  # a file of a unit that sent a newer one (or an identical copy)
    REJECTED = "rejected"      # meant as a submission but not usable: the unit must resend
    NEEDS_CHOICE = "needs_choice"  # one of several files of a unit the evidence cannot order: not used yet
    ATTACHED = "attached"      # a document sent with the workbook (a report, a scan): kept, not scored
    OPENED = "opened"          # a zip archive or saved e-mail: opened, its files have rows of their own
    IGNORED = "ignored"        # not a submission at all (lock file, system file, other files)


class Status(StrEnum):
    """The state of one form of one unit (``units.csv``)."""

    VALID = "valid"      # read completely, no error: ranked
    INVALID = "invalid"  # has an error: not ranked until fixed
    NEEDS_CHOICE = "needs_choice"  # several files and no telling which counts: the officer chooses
    MISSING = "missing"  # no usable file yet


UNITS_COLUMNS = ("unit_code", "unit_name", "group", "form_id", "status", "total", "classification",
                 "rank_in_group", "rank_overall", "late", "file")
SCORES_COLUMNS = ("unit_code", "form_id", "criterion_id", "stt", "max_points", "self_score",
                  "team_score")
INDICATORS_COLUMNS = ("unit_code", "indicator_id", "value")
ISSUES_COLUMNS = ("severity", "code", "unit_code", "file", "sheet", "cell", "value", "message")
SUBMISSIONS_COLUMNS = ("file", "sha256", "unit_code", "verdict", "reason", "received_at", "time_source")
UNIT_REPORTS_COLUMNS = ("unit_code", "report_id", "section_id", "heading", "text", "file")
SUMMARY_NAME = "tong-hop.xlsx"
UNIT_REPORTS_NAME = "bao-cao-don-vi.csv"
