"""The data the campaign is made of: criteria specs (the official 100-point tables), the figures
(indicators) spec, the campaign and its roster, YAML reading with line numbers, scoring in Python
(the reference every spreadsheet figure must match), and ``spec check``.

May import only ``problems``: it is the bottom stage.
"""
