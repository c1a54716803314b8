"""The contract between what we write and what we read back: where every row and cell of a form
sheet and of the review sheet is (layouts), the identity embedded in every workbook and its
signature, and the names of generated files.

May import ``spec`` and ``problems``.
"""
