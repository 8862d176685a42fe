"""python -m aims: the command line (see aims.cli)."""
import sys

from aims.cli import main

sys.exit(main())
