"""The dashboard's own memory while sessions upload large files, save them and leave (issue 22 point 4).

    .venv/bin/python scripts/bench_upload_memory.py                  # this checkout's app.py
    .venv/bin/python scripts/bench_upload_memory.py --root ../main   # another checkout's, to compare

Starts `streamlit run app.py` on a free local port with a fresh database, opens SESSIONS browser sessions
(Debian's Chromium through Playwright, as tests/test_browser.py), each uploading FILES Word reports of about 49 MB
(a real report's tables plus a 49 MB embedded image of random bytes: below every limit, so it is read, not
refused), waits for the preview, saves, then closes the sessions; last, a new visitor opens the page. The server
process's resident size (without its worker processes, shown apart) is sampled every 0.2 s and printed at each
step. A variant closes the sessions without saving (--no-save).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from report_builder import html_to_docx, sample_report  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
MB = 1_000_000


def big_docx(year: int, image_mb: float) -> bytes:
    """A report as Word writes it, with a photo of `image_mb` MB stored as it is (random bytes do not deflate)."""
    report = html_to_docx(sample_report("2021", title=f"株洲市荷塘区人民政府{year}年政府信息公开工作年度报告").render_html())
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(report)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr(zipfile.ZipInfo("word/media/image1.png"), os.urandom(int(image_mb * MB)), zipfile.ZIP_STORED)
    return out.getvalue()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sampler(threading.Thread):
    """The server's resident size (its own, and its children's apart), every 0.2 s; the peak since `mark`."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak = 0
        self.children_peak = 0
        self.running = True

    def own(self) -> int:
        return self.process.memory_info().rss

    def children(self) -> int:
        total = 0
        for child in self.process.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                continue
        return total

    def mark(self) -> None:
        self.peak, self.children_peak = self.own(), self.children()

    def run(self) -> None:
        while self.running:
            try:
                self.peak = max(self.peak, self.own())
                self.children_peak = max(self.children_peak, self.children())
            except psutil.Error:
                return
            time.sleep(0.2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(ROOT), help="the checkout whose app.py is served")
    parser.add_argument("--sessions", type=int, default=2, help="browser sessions (default 2)")
    parser.add_argument("--files", type=int, default=5, help="files each session uploads (default 5)")
    parser.add_argument("--size", type=float, default=49, help="MB per file (default 49)")
    parser.add_argument("--no-save", action="store_true", help="close the sessions without saving")
    parser.add_argument("--linger", type=int, default=150,
                        help="seconds to wait after the sessions close (Streamlit keeps a closed session 120 s)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="govreport-upload-bench-"))
    files = []
    for n in range(args.sessions * args.files):
        files.append(tmp / f"report_{n:02d}.docx")
        files[-1].write_bytes(big_docx(2000 + n, args.size))
    port = free_port()
    env = {**os.environ, "GOVREPORT_DB": str(tmp / "bench.duckdb")}
    log = (tmp / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                               "--server.port", str(port), "--server.address", "127.0.0.1"], cwd=args.root, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        sampler = Sampler(server.pid)
        sampler.start()
        print(f"{args.sessions} sessions × {args.files} files of {files[0].stat().st_size / MB:.1f} MB; "
              f"server {args.root}; load {os.getloadavg()[0]:.1f}")
        print(f"{'step':48}{'server now':>12}{'peak':>10}{'workers peak':>14}   (MB)")

        def report(step: str) -> None:
            print(f"{step:48}{sampler.own() / MB:>12.0f}{sampler.peak / MB:>10.0f}{sampler.children_peak / MB:>14.0f}",
                  flush=True)
            sampler.mark()

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            pages = []
            for _ in range(args.sessions):
                page = browser.new_context().new_page()
                page.goto(f"{url}/upload")
                page.wait_for_selector("input[type=file]", state="attached", timeout=120_000)
                pages.append(page)
            time.sleep(2)
            report("sessions open on the upload page")
            for n, page in enumerate(pages):
                page.locator("input[type=file]").set_input_files(
                    [str(f) for f in files[n * args.files:(n + 1) * args.files]])
            for page in pages:
                page.get_by_role("button", name="确认保存").wait_for(timeout=600_000)
            report("files uploaded and read (preview shown)")
            if not args.no_save:
                for page in pages:
                    page.get_by_role("button", name="确认保存").click()
                for page in pages:
                    page.get_by_text("已保存").first.wait_for(timeout=600_000)
                time.sleep(2)
                report("saved")
            for page in pages:
                page.context.close()
            time.sleep(args.linger)
            report(f"sessions closed ({args.linger} s later)")
            visitor = browser.new_context().new_page()  # Streamlit drops expired sessions when it next looks
            visitor.goto(f"{url}/upload")
            visitor.wait_for_selector("input[type=file]", state="attached", timeout=120_000)
            time.sleep(2)
            report("a new session opened after that")
            visitor.context.close()  # a disconnect is when Streamlit's session store drops the expired ones
            time.sleep(5)
            report("and closed")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
