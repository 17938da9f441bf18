import sys

from govreport_core.cli import main

sys.exit(main())
