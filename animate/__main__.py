"""``python -m animate`` is the same as the ``nn-animate`` command."""
from animate.cli import main

main()
