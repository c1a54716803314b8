"""What a collection decides, as data: the verdict on every file, which file counts for each
unit, statuses, lateness, ranks, the team's review applied, every issue to act on; the
``Collection`` model the outputs read; compact per-unit values (10,000 units fit); the CSV
contracts' columns and codes; last year's results and the comparison of two years.

May import ``read``, ``spec``, ``form``, ``problems``; writes no file.
"""
