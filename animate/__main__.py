"""``python -m animate`` is the same as the ``nn-animate`` command."""
from animate.cli_process import exit_at_once_on_interrupt

exit_at_once_on_interrupt()  # until cli.main takes over (see animate/cli_process.py)

from animate.cli import main  # noqa: E402

main()
