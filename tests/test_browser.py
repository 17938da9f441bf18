"""One browser test drives the real app: `streamlit run app.py` on a free local port, Debian's Chromium through
Playwright's `executable_path` (never a downloaded browser); every page visited, a report uploaded and saved,
a screenshot of each page under test-output/. Fails on an exception or error element, or a missing Chinese title.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT
from report_builder import sample_report

from govreport_core.corpus.render import html_to_pdf

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PAGES = [("", "总览"), ("proactive", "主动公开"), ("applications", "依申请公开"), ("review", "复议诉讼"),
         ("report", "报告详情"), ("upload", "上传报告"), ("export", "数据导出"), ("quality", "数据质量")]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path):
    if not Path(CHROMIUM).exists():
        message = "Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    port = free_port()
    env = {**os.environ, "GOVREPORT_DB": str(tmp_path / "browser.duckdb")}
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless",
                                "true", "--server.port", str(port), "--server.address", "127.0.0.1",
                                "--browser.gatherUsageStats", "false"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    yield f"http://127.0.0.1:{port}", Path(env["GOVREPORT_DB"])
    process.terminate()
    process.wait(timeout=20)


def settle(page) -> None:
    """Wait until Streamlit has replaced its loading skeletons with the page's content."""
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=60_000)
    page.wait_for_timeout(500)


def count_reports(page, url: str) -> int:
    """The overview's 报告数 (tables are drawn on a canvas, so the metric is what the DOM can tell)."""
    page.goto(f"{url}/?departments=1&unknown_year=1")
    page.wait_for_selector("[data-testid=stMetricValue]", timeout=60_000)
    page.wait_for_timeout(1000)
    assert page.locator("[data-testid=stException]").count() == 0
    return int(page.locator("[data-testid=stMetricValue]").first.inner_text())


def read_download(fmt: str, path: Path) -> pd.DataFrame:
    if fmt == "csv":
        assert path.read_bytes().startswith("\ufeff".encode())  # UTF-8 with BOM: Excel shows the Chinese
        return pd.read_csv(path, encoding="utf-8-sig")
    if fmt == "xlsx":
        return pd.read_excel(path)
    if fmt == "parquet":
        return pd.read_parquet(path)
    return pd.read_json(path, orient="records")


def test_every_page_in_a_real_browser_an_upload_and_every_download(server, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    url, db = server
    shots = ROOT / "test-output" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    html = tmp_path / "上传测试.html"
    html.write_text(sample_report("2021", title="株洲市荷塘区人民政府2023年政府信息公开工作年度报告").render_html(),
                    encoding="utf-8")
    pdf = tmp_path / "上传测试.pdf"
    pdf.write_bytes(html_to_pdf(sample_report("2019", title="株洲市石峰区人民政府2020年政府信息公开工作年度报告")
                                .render_html()))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1400}, accept_downloads=True)
        # A shared link to a sub-page as the new server's first request still gets the app's navigation.
        page.goto(f"{url}/review")
        settle(page)
        assert "总览" in page.locator("[data-testid=stSidebarNav]").inner_text()
        for path, title in PAGES:
            page.goto(f"{url}/{path}")
            settle(page)
            assert page.locator("h1").first.inner_text().strip() == title
            assert page.locator("[data-testid=stException]").count() == 0, path
            page.screenshot(path=str(shots / f"{path or 'overview'}.png"), full_page=True)
        reports_before = count_reports(page, url)
        page.goto(f"{url}/upload")
        page.wait_for_selector("h1", timeout=60_000)
        page.locator("input[type=file]").set_input_files([str(html), str(pdf)])
        page.get_by_text("确认保存").click(timeout=60_000)
        page.get_by_text("已保存").first.wait_for(timeout=60_000)
        assert page.get_by_text("已保存").count() == 2  # the HTML and the PDF
        page.screenshot(path=str(shots / "upload-saved.png"), full_page=True)
        assert count_reports(page, url) == reports_before + 2  # the uploads show without a restart

        page.goto(f"{url}/export?departments=1&unknown_year=1")
        settle(page)
        for fmt in ("csv", "xlsx", "parquet", "json"):
            with page.expect_download(timeout=60_000) as download:
                page.get_by_role("button", name=f"下载 {fmt.upper()}").click()
            saved = tmp_path / f"export.{fmt}"
            download.value.save_as(saved)
            frame = read_download(fmt, saved)
            assert len(frame) == reports_before + 2, fmt
            assert {"荷塘区人民政府", "石峰区人民政府"} <= set(frame["发布机关"]), fmt
            assert frame.loc[frame["发布机关"] == "荷塘区人民政府", "本年新收申请数"].tolist() == [25], fmt
        browser.close()
    assert db.exists()
