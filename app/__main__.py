"""`python -m app`: the desktop workstation (the CLI is `vanthu`)."""
import sys

from .ui.main import main

sys.exit(main())
