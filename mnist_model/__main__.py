"""`python -m mnist_model train ...` and `python -m mnist_model evaluate ...` (see cli.py)."""

from .cli import main

main()
