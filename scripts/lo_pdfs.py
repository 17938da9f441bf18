"""Web pages -> PDFs as LibreOffice exports them (HTML -> DOCX -> PDF), beside the pages read as they are.

    .venv/bin/python scripts/lo_pdfs.py ../shared/seeds /tmp/seeds-lo     # pages (.html, or .txt holding one)

Each page (a `.txt` saved from the web is taken as the page it holds: renamed `.html`) is opened in
LibreOffice Writer, saved as DOCX and exported to PDF, the two `soffice --headless --convert-to` steps of
`../shared/real-text/README.md` (the corpus's `pdf_lo_html` form does the same to generated pages). The pages go
to OUT/html, the PDFs to OUT/pdf, and a truth folder beside the pages (`truth/`) is copied to both, so
`accuracy` or `../shared/tools/score.py` can score each. Then it prints, per file, the figures read from the
page and from its PDF, and whether they are the same: a PDF of a page should read like the page.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govreport_core.devtools.corpus.office_pdf import docx_to_pdf, html_to_docx_lo  # noqa: E402
from govreport_core.extraction.pipeline import extract_bytes  # noqa: E402


def figures(data: bytes, name: str) -> tuple[dict, dict]:
    output = extract_bytes(data, name).to_dict()
    return output.get("metrics", {}), output.get("breakdown", {})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", type=Path, help="folder of .html pages (or .txt files holding one)")
    parser.add_argument("out", type=Path, help="output folder (html/ and pdf/ are made in it)")
    args = parser.parse_args()
    sources = sorted(p for p in args.pages.iterdir() if p.suffix.lower() in (".html", ".htm", ".txt"))
    if not sources:
        print(f"No .html or .txt pages in {args.pages}.")
        return 1
    html, pdf = args.out / "html", args.out / "pdf"
    for folder in (html, pdf):
        folder.mkdir(parents=True, exist_ok=True)
        if (args.pages / "truth").is_dir():
            shutil.copytree(args.pages / "truth", folder / "truth", dirs_exist_ok=True)
    pages = [source.read_bytes() for source in sources]
    for source, page in zip(sources, pages, strict=True):
        (html / f"{source.stem}.html").write_bytes(page)
    for source, data in zip(sources, docx_to_pdf(html_to_docx_lo(pages)), strict=True):
        (pdf / f"{source.stem}.pdf").write_bytes(data)
    print(f"{'file':<34} {'page figures':>12} {'PDF figures':>11}  same")
    for source in sources:
        page = figures((html / f"{source.stem}.html").read_bytes(), f"{source.stem}.html")
        printed = figures((pdf / f"{source.stem}.pdf").read_bytes(), f"{source.stem}.pdf")
        print(f"{source.stem:<34} {len(page[0]):>12} {len(printed[0]):>11}  {'yes' if page == printed else 'NO'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
