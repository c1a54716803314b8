"""The district's draft report (.docx) from the CSV contracts of a collection, following the
report outline kept as data.

May import ``results`` (to read the CSVs back), ``spec``, ``paper``, ``fileio``, ``problems``.
"""
