"""How everything we print looks: one font, cell styles, A4 page setup with the Nghị định
30/2020 margins, the national motto, row heights for wrapped text; and the two XlsxWriter
internals we rely on, version-checked (``paper.xlsx_compat``); the Word documents' Nghị định
30/2020 block (``paper.docx``: header block with its rules, page numbers, signature, tables that
repeat their header and never cut a word, with ``paper.docx_widths``).

Imports nothing of ours but ``paper`` itself (and XlsxWriter, python-docx).
"""
