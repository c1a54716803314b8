"""workbook_tools: locked self-assessment workbooks for Vietnamese district campaigns.

The generator (``generate``) builds one protected .xlsx per unit from criteria specs kept as
data (``spec``); the collector (``collect``) reads the returned files back as untrusted input
(``read``), decides one result per unit (``results``) and writes the district's summary and CSV
contracts (``outputs``). The README's "Kiến trúc" section draws the stages and what each owns.
"""

__version__ = "0.1.0"
TEMPLATE_VERSION = "2"
