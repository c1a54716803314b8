"""The district's draft report (.docx) from what ``collect`` wrote (the CSV contracts and the units'
report texts), following the district's own outline kept as data (``plan``): ``document`` writes the
header, the parts and the signature, ``sections`` each section (figures tables from ``figures``,
classification statistics from ``scores`` via ``assessment``, the units' texts from ``unit_texts``),
``appendix`` the tables of units; ``draft`` holds the document and its ways of writing.

May import ``results`` (to read the CSVs back), ``outputs`` (the compilation's file name), ``spec``,
``paper``, ``fileio``, ``problems``.
"""
