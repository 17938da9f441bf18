"""Write real reports of ../shared redrawn as other tools draw them, with their truth (devtools.corpus.real_variants),
and flattened into one line as crawlers save report pages (devtools.corpus.flat_variants).

    .venv/bin/python scripts/real_variants.py /tmp/variants
    .venv/bin/python -m govreport_core accuracy /tmp/variants/truth /tmp/variants --by-form
    .venv/bin/python scripts/real_variants.py /tmp/flat-corpus --flatten /tmp/corpus   # any folder with truth/, one line
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govreport_core.devtools.corpus.flat_variants import flatten_folder, write_flat_variants  # noqa: E402
from govreport_core.devtools.corpus.real_variants import write_variants  # noqa: E402

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="/tmp/variants", type=Path)
    parser.add_argument("--flatten", type=Path, help="run every text report of this folder (with truth/) into one line")
    args = parser.parse_args()
    if args.flatten:
        print(f"{len(flatten_folder(args.flatten, args.out))} one-line reports written to {args.out}")
    else:
        shared = ROOT.parent / "shared"
        print(f"{len(write_variants(shared, args.out))} redrawn variants written to {args.out}")
        print(f"{len(write_flat_variants(shared, args.out))} one-line variants written to {args.out}")
