"""The faces' first: the command line. Parses options, calls one library function per command,
and formats what it returns as Vietnamese console text (``cli.text``).

May import every package; nothing imports it.
"""
