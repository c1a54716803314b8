"""Writing a collection: the CSV contracts, the summary workbook ``tong-hop.xlsx`` (one module
per sheet, in ``outputs.summary``) and the notices to units after a review round, staged and
moved into place together.

May import ``results``, ``paper``, ``form``, ``spec``, ``fileio``, ``problems``.
"""
