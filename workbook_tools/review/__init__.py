"""Building the inspection team's review workbook (one sheet per unit, locked, signed) from a
collection. Reading it back is in ``read.review``; applying it in ``results.review``.

May import ``collect`` and the stages below it, and ``generate.common`` (the identity sheet).
"""
