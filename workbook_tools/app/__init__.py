"""The officer's face: a local web application over the same library calls as the command line.

Served on 127.0.0.1 only, behind a random token made at start; every page in Vietnamese, every
asset shipped in the package (no internet needed). It holds no business logic: it calls
``generate``, ``collect``, the messages and the outputs, and shows what they return.

May import every stage (like ``cli``); nothing imports it but ``cli``.
"""
