"""Data package: the sample campaign (Phong Thổ 2023) and last year's sample results.

Kept at the top of the repository and installed as ``workbook_tools.samples`` (see
``package_dir`` in setup.cfg); found at run time through ``workbook_tools.data``.
"""
