"""The collect pipeline: walk the inbox, check every candidate file in parallel, decide
(``results``) and write (``outputs``). ``collect`` is the in-memory part the review builder and
the app reuse; ``collect_campaign`` is the whole ``collect`` command.

May import every stage below it: ``outputs``, ``results``, ``read``, ``form``, ``spec``.
"""
