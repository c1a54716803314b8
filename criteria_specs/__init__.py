"""Data package: the official criteria specs, the figures spec and the report outline (YAML).

Kept at the top of the repository and installed as ``workbook_tools.criteria_specs`` (see
``package_dir`` in setup.cfg); found at run time through ``workbook_tools.data``.
"""
