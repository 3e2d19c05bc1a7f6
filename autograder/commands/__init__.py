"""One module per verb of ``python -m autograder`` (the parser is built in :mod:`autograder.cli`).

Each module has ``add_parser(subparsers)``, which registers its options and
sets ``run(args, console) -> exit status`` as the verb's handler.
"""
