"""The dashboard in a real browser, as a newcomer meets it: `streamlit run govreport_core/dashboard/server.py` (the dashboard and the
open-data API on one port, as scripts/dashboard.sh starts them) on a free local port (a fresh server each time),
Debian's Chromium through Playwright's `executable_path` (never a downloaded browser).

The path (issue 11): a shared sub-page link as the server's first request, the sidebar and Back, a report opened
from 最近加入 by its link, an upload checked in its preview then saved and followed to its page, a CSV export read
back and the same selection from the API; then every page in Chinese and in English. Screenshots go to
test-output/browser/ (the folder is printed). Every rendered page fails the test on "None", "nan", a traceback, an
exception box or a raw `{...}` block.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pandas as pd
import pytest
from conftest import ENGLISH_TITLES, ROOT, SERVER
from report_builder import sample_report

from govreport_core.dashboard.page import declared_pages

pytestmark = pytest.mark.slow  # Debian's chromium drives a live server: `scripts/test.sh --quick` leaves it out

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "test-output" / "browser"
# app.py's pages (the first is the default, at "/"), each with its Chinese title and the English one it must show.
PAGES = [("" if i == 0 else Path(script).stem, chinese, ENGLISH_TITLES[script])
         for i, (script, chinese) in enumerate(declared_pages())]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
# What a reader must never see: Python's missing values, a traceback, a dict dumped as it is.
BAD_TEXT = re.compile(r"\bNone\b|\bnan\b|\bNaN\b|Traceback \(most recent call last\)|^\s*\{\s*\"", re.MULTILINE)


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
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(SERVER), "--server.headless",
                                "true", "--server.port", str(port), "--server.address", "127.0.0.1"], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
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
    log.close()


def settle(page) -> None:
    """Wait until Streamlit has run the script and replaced its loading skeletons with the page's content."""
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(700)


def title(page) -> str:
    return page.locator("h1").first.inner_text().strip()


def params(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def path(page) -> str:
    return unquote(urlparse(page.url).path).strip("/")


def check_clean(page, name: str) -> None:
    """No exception box, no error-details, no "None"/"nan"/traceback/raw dict in what the page shows."""
    assert page.locator("[data-testid=stException]").count() == 0, name
    assert page.locator("[data-testid=stJson]").count() == 0, name  # a dict dumped as it is
    text = page.locator("[data-testid=stMain]").inner_text() + page.locator("[data-testid=stSidebar]").inner_text()
    bad = BAD_TEXT.search(text)
    assert bad is None, f"{name}: {bad.group(0)!r} in …{text[max(0, bad.start() - 80):bad.end() + 80]}…"
    # Tables are drawn on a canvas; the cells the grid has drawn are also in its accessible (hidden) table.
    cells = page.locator("[data-testid=stDataFrame] td").all_text_contents()
    assert not {"None", "nan", "NaN", "<NA>", "NaT"} & {c.strip() for c in cells}, name


def shoot(page, name: str) -> None:
    """Check the page, then photograph all of it: the window is made as tall as the page's content (Streamlit
    scrolls inside its own container, so a full-page screenshot of the window alone would cut it)."""
    check_clean(page, name)
    height = page.evaluate("() => Math.max(...[...document.querySelectorAll('[data-testid=stMain] *')]"
                           ".slice(0, 1).map(e => e.scrollHeight), document.querySelector('[data-testid=stMain]')"
                           ".scrollHeight)")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": min(max(height + 40, size["height"]), 12_000)})
    page.wait_for_timeout(800)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(size)


def sidebar_link(page, text: str):
    return page.locator("[data-testid=stSidebarNav] a", has_text=text).first


def open_first_link_of_table(page, table) -> None:
    """Click the first row's link (the first column, drawn on a canvas) of an st.dataframe: opens a new tab."""
    table.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)  # the grid draws its canvas after it scrolls into view
    box = table.bounding_box()
    x, y = box["x"] + 13, box["y"] + 35 + 17  # past the header row, on the first row's number (the link)
    page.mouse.move(x, y)
    page.wait_for_timeout(500)

    with page.context.expect_page(timeout=30_000) as opened:
        page.mouse.click(x, y)
    return opened.value


def test_a_newcomers_path_through_the_dashboard(server, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    url, db = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    print(f"screenshots: {SHOTS}")
    html = tmp_path / "荷塘区2023年报.html"
    html.write_text(sample_report("2021", title="株洲市荷塘区人民政府2023年政府信息公开工作年度报告").render_html(),
                    encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
        page = context.new_page()

        # 1. A shared link to a sub-page is the fresh server's first request: the app's navigation, the page and
        #    the filter it names.
        page.goto(f"{url}/applications?province=江苏省&from=2019")
        settle(page)
        assert title(page) == "依申请公开"
        assert "总览" in page.locator("[data-testid=stSidebarNav]").inner_text()  # app.py's navigation, not pages/ mode
        assert params(page) == {"province": "江苏省", "from": "2019"}
        assert "当前选择：江苏省，2019—最新年" in page.locator("[data-testid=stSidebar]").inner_text()
        assert "依申请公开" in page.title()  # the page's own title names the tab
        assert page.get_by_text("Deploy").count() == 0  # the viewer toolbar: no Deploy button
        shoot(page, "01-first-request-applications")

        # 2. To 总览 by the sidebar: the filter follows; Back: the sub-page with its filter again.
        sidebar_link(page, "总览").click()
        page.wait_for_function("() => document.querySelector('h1') && document.querySelector('h1').innerText.trim() == '总览'",
                               timeout=60_000)
        settle(page)
        assert path(page) == "" and params(page) == {"province": "江苏省", "from": "2019"}
        assert "当前选择：江苏省，2019—最新年" in page.locator("[data-testid=stSidebar]").inner_text()
        shoot(page, "02-overview-by-the-sidebar")
        page.go_back()
        settle(page)
        assert title(page) == "依申请公开" and path(page) == "applications"
        assert params(page) == {"province": "江苏省", "from": "2019"}

        # 3. A report opened from 最近加入 by its link: its 报告详情, the filter still in the link.
        sidebar_link(page, "总览").click()
        settle(page)
        latest = page.locator("[data-testid=stDataFrame]").last
        report = open_first_link_of_table(page, latest)
        settle(report)
        assert title(report) == "报告详情" and path(report) == "report"
        assert params(report)["report"].isdigit() and params(report)["province"] == "江苏省"
        shoot(report, "03-report-from-latest")
        report.close()

        # 4. An upload checked before it counts: its figures in the preview, then saved, then its page by the link.
        sidebar_link(page, "上传报告").click()
        settle(page)
        page.locator("input[type=file]").set_input_files(str(html))
        # Tables are drawn on a canvas; their cells are also in the grid's accessible (hidden) table.
        new_row = page.locator("tr", has=page.locator("td", has_text="本年新收政府信息公开申请数量")).first
        new_row.wait_for(state="attached", timeout=90_000)
        assert "25" in new_row.text_content().split()[-1] or "25" in new_row.text_content()  # 总计 per the builder
        assert page.locator("input[aria-label='发布机关']").first.input_value() == "荷塘区人民政府"
        shoot(page, "04-upload-preview")
        page.get_by_role("button", name="确认保存").click()
        page.get_by_text("已保存").first.wait_for(timeout=60_000)
        shoot(page, "05-upload-saved")
        saved = page.locator("[data-testid=stMain] a", has_text="打开报告").first
        saved.click()
        page.wait_for_function("() => location.pathname.endsWith('/report')", timeout=60_000)
        settle(page)
        assert title(page) == "报告详情" and "荷塘区人民政府" in page.locator("[data-testid=stMain]").inner_text()
        shoot(page, "06-saved-report")

        # 5. Export: the CSV of the selection read back, with the uploaded report's figure (25 per the builder's spec).
        page.goto(f"{url}/export?province=湖南省&departments=1")
        settle(page)
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="下载 CSV").click()
        saved_csv = tmp_path / "export.csv"
        download.value.save_as(saved_csv)
        frame = pd.read_csv(saved_csv, encoding="utf-8-sig")
        assert frame.loc[frame["发布机关"] == "荷塘区人民政府", "本年新收申请数"].tolist() == [25]
        assert set(frame["省份"]) == {"湖南省"}
        # The same selection from the open-data API on the same port: the uploaded report's 25 new applications.
        api = page.request.get(f"{url}/api/v1/figures.csv?province=湖南省&departments=1&_layout=wide"
                               "&_metric=applications_new&_size=50")
        assert api.ok and api.headers["content-type"].startswith("text/csv")
        table = pd.read_csv(io.BytesIO(api.body()), encoding="utf-8-sig")
        assert table.loc[table["agency"] == "荷塘区人民政府", "applications_new"].tolist() == [25]

        # 6. Every page in both languages.
        for slug, chinese, english in PAGES:
            for lang, expected in (("zh", chinese), ("en", english)):
                query = "?lang=en" if lang == "en" else ""
                page.goto(f"{url}/{slug}{query}")
                settle(page)
                assert title(page) == expected, (slug, lang)
                shoot(page, f"page-{slug or 'overview'}-{lang}")
        browser.close()
    assert db.exists()


def area_point(page, code: str) -> tuple[float, float]:
    """A point inside a map area (its SVG path filled there), in the page's coordinates."""
    point = page.evaluate("""(code) => {
        const e = [...document.querySelectorAll('.choroplethlocation')].find(e => e.__data__ && e.__data__.loc === code);
        if (!e) return null;
        const r = e.getBoundingClientRect(), m = e.getScreenCTM().inverse();
        for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
            const x = r.x + r.width * i / 20, y = r.y + r.height * j / 20;
            if (e.isPointInFill(new DOMPoint(x, y).matrixTransform(m))) return [x, y];
        }
        return null; }""", code)
    assert point, f"no area {code} on the map"
    return point[0], point[1]


def sidebar_says(page, text: str) -> None:
    page.wait_for_function("(text) => document.querySelector('[data-testid=stSidebar]').innerText.includes(text)",
                           arg=text, timeout=60_000)
    settle(page)


def test_the_map_unknown_pages_the_uploader_and_whole_tables(server) -> None:
    """Issue 21 points 2 and 4 as a newcomer meets them: the map hovers and filters by a click, and no request leaves
    the machine; an unknown address says so with links; the uploader speaks the page's language; printed tables
    show every header and label whole."""
    from playwright.sync_api import sync_playwright

    url, _ = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        outside: list[str] = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((url, "data:", "blob:")) else None)

        # The map: a hover says the area and its count, a click filters by it and the map drills down.
        page.goto(f"{url}/map")
        settle(page)
        page.wait_for_selector(".choroplethlocation", timeout=60_000)
        assert title(page) == "地图"
        page.mouse.move(*area_point(page, "430000"))  # 湖南省
        page.wait_for_timeout(800)
        hover = page.locator(".hoverlayer").text_content()
        assert "湖南省" in hover and "报告数：2" in hover  # 洪江区 2016 and 芦淞区 2019 (the seeds' truth)
        shoot(page, "map-national-zh")
        page.mouse.click(*area_point(page, "430000"))
        page.wait_for_function("() => location.search.includes('province=')", timeout=60_000)
        settle(page)
        assert params(page).get("province") == "湖南省" and path(page) == "map"
        # The URL changes in the click's callback, before the rerun it starts has drawn: wait for the sidebar.
        sidebar_says(page, "当前选择：湖南省")
        page.wait_for_selector(".choroplethlocation", timeout=60_000)
        page.mouse.click(*area_point(page, "430200"))  # 株洲市: its counties next
        page.wait_for_function("() => location.search.includes('city=')", timeout=60_000)
        settle(page)
        assert params(page) == {"province": "湖南省", "city": "株洲市"}
        sidebar_says(page, "当前选择：湖南省株洲市")
        shoot(page, "map-city-zh")
        page.go_back()
        settle(page)
        assert params(page) == {"province": "湖南省"}
        page.goto(f"{url}/map?lang=en&metric=applications")
        settle(page)
        page.wait_for_selector(".choroplethlocation", timeout=60_000)
        assert title(page) == "Map"
        shoot(page, "map-national-en")

        # An address that is no page: said, with a link to each page.
        page.goto(f"{url}/nosuchpage")
        settle(page)
        assert title(page) == "找不到这个页面" and path(page) == "nosuchpage"
        links = page.locator("[data-testid=stMain] [data-testid=stPageLink] a")
        links.nth(len(PAGES) - 1).wait_for(timeout=60_000)
        assert links.count() == len(PAGES)
        shoot(page, "not-found-zh")
        links.filter(has_text="数据导出").first.click()
        page.wait_for_function("() => location.pathname.endsWith('/export')", timeout=60_000)
        settle(page)
        assert title(page) == "数据导出"

        # The uploader's own texts in the page's language (Streamlit 1.67 writes them in English only).
        page.goto(f"{url}/upload")
        settle(page)
        page.wait_for_selector("[data-testid=stFileUploaderDropzoneInstructions] span", state="attached", timeout=60_000)
        said = page.evaluate("""() => {
            const zone = document.querySelector('[data-testid=stFileUploaderDropzone]');
            const label = zone.querySelector('button [data-testid=stMarkdownContainer]');
            const note = document.querySelector('[data-testid=stFileUploaderDropzoneInstructions] > div');
            return [getComputedStyle(label, '::after').content, getComputedStyle(label.querySelector('p')).display,
                    getComputedStyle(note, '::after').content,
                    getComputedStyle(note.querySelector('span')).display]; }""")
        assert said[0] == '"选择文件"' and said[1] == "none" and "50 MB" in said[2] and said[3] == "none"
        shoot(page, "upload-zh")

        # Table 3 in English: every header and row label whole ("Businesses", never "Busines").
        page.goto(f"{url}/report?search=芦淞&lang=en")
        settle(page)
        page.locator("[data-testid=stTable] th", has_text="Businesses").first.wait_for(timeout=60_000)
        cells = page.locator("[data-testid=stTable] th, [data-testid=stTable] td")
        assert "Businesses" in page.locator("[data-testid=stTable] th").all_text_contents()
        cut = page.evaluate("""() => [...document.querySelectorAll('[data-testid=stTable] th, [data-testid=stTable] td')]
            .filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.innerText)""")
        assert cells.count() > 100 and cut == []
        shoot(page, "report-tables-en")
        browser.close()
    assert outside == [], outside[:5]  # no tile server, no CDN, no font server
