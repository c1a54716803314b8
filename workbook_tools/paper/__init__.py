"""How everything we print looks: one font, cell styles, A4 page setup with the Nghị định
30/2020 margins, the national motto, row heights for wrapped text; and the two XlsxWriter
internals we rely on, version-checked (``paper.xlsx_compat``).

Imports nothing of ours but ``paper`` itself (and XlsxWriter).
"""
