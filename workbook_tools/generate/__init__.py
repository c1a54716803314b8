"""Building the unit workbooks: one template per roster group filled in per unit, one module
per sheet (instructions, criteria, figures), the hidden identity, the manifest.

May import ``spec``, ``form``, ``paper``, ``fileio``, ``parallel``, ``problems``.
"""
