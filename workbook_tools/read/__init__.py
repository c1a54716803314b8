"""Untrusted input: the .xlsx reader (zip and XML guards, then the fast scanner or the full
parser), the inbox walk, identifying a workbook by its signed identity, re-checking every
value of a unit workbook against the spec, and reading the inspection team's review workbook.

May import ``spec``, ``form``, ``problems``; never ``generate`` (the contract is in ``form``).
"""
