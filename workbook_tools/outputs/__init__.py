"""Writing a collection: the CSV contracts, the summary workbook ``tong-hop.xlsx`` (one module
per sheet, in ``outputs.summary``), the ranking table of each scored form ready to sign
(``outputs.ranking``, .docx) and the notices to units after a review round (.docx), staged and
moved into place together.

May import ``results``, ``paper``, ``form``, ``spec``, ``fileio``, ``problems``.
"""
