"""Write real reports of ../shared redrawn as other tools draw them, with their truth (devtools.corpus.real_variants).

    .venv/bin/python scripts/real_variants.py /tmp/variants
    .venv/bin/python -m govreport_core accuracy /tmp/variants/truth /tmp/variants
"""

from __future__ import annotations

import sys
from pathlib import Path

from govreport_core.devtools.corpus.real_variants import write_variants

if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/variants")
    shared = Path(__file__).resolve().parent.parent.parent / "shared"
    print(f"{len(write_variants(shared, out))} variants written to {out}")
