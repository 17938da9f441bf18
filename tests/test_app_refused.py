"""A database the store refuses, opened by the dashboard: every page of app.py says why in one sentence in the
chosen language (the English one is the store's own), never a traceback; nothing else of the page is drawn."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, app_pages
from streamlit.testing.v1 import AppTest

from govreport_core.store import Store, StoreError

PAGES = app_pages()
CJK = re.compile(r"[\u4e00-\u9fff]")


def newer_schema(path: Path) -> None:
    Store(path).close()
    with duckdb.connect(str(path)) as connection:
        connection.execute("INSERT INTO schema_version VALUES (99)")


def another_programs_file(path: Path) -> None:
    with duckdb.connect(str(path)) as connection:
        connection.execute("CREATE TABLE measurements (station VARCHAR, reading DOUBLE)")


def damaged(path: Path) -> None:
    with Store(path) as store:
        store.query("SELECT 1")
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 7):  # past the header: the blocks' checksums no longer match
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


# How each file is made, and a word the Chinese sentence of its kind must hold (dashboard/refused.py).
KINDS: dict[str, tuple[Callable[[Path], None], str]] = {
    "schema 99": (newer_schema, "更新版本"), "another program's": (another_programs_file, "不是 govreport 的数据库"),
    "damaged": (damaged, "已损坏")}


@pytest.fixture(params=list(KINDS))
def refused_db(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str, str]:
    make, word = KINDS[request.param]
    path = tmp_path / "refused.duckdb"
    make(path)
    with pytest.raises(StoreError) as refusal:  # the store itself refuses it: the sentence the English page shows
        Store(path, read_only=True, shared=True)
    monkeypatch.setenv("GOVREPORT_DB", str(path))
    return path, word, str(refusal.value)


def shown(at: AppTest, kind: str) -> list[str]:
    return [element.value for element in getattr(at, kind)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_says_why_the_database_is_refused_in_one_sentence(refused_db: tuple[Path, str, str],
                                                                     lang: str) -> None:
    path, word, english = refused_db
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        if lang == "en":
            at.query_params["lang"] = "en"
        at.run()
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, at.exception)
        errors = shown(at, "error")
        assert len(errors) == 1, (page, errors)
        text = errors[0].replace("\\", "")  # the sentence is shown as plain text: markdown marks escaped
        if lang == "zh":
            assert word in text and str(path) in text and CJK.search(text), (page, text)
        else:
            assert text == english and not CJK.search(text), (page, text)
        assert not any("Traceback" in str(v) for kind in ("error", "warning", "markdown", "text") for v in shown(at, kind))
        assert not at.dataframe and not at.button  # nothing of the page beside the sentence
