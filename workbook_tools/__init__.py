"""workbook_tools: locked self-assessment workbooks for Vietnamese district campaigns.

The generator builds one protected .xlsx per unit from criteria specs kept as data;
the collector (later) reads the returned files back and merges them.
"""

__version__ = "0.1.0"
TEMPLATE_VERSION = "2"
