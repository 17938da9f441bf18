"""A database the store refuses, opened by the dashboard: every page of app.py says why in one sentence in the
chosen language, never a traceback; nothing else of the page is drawn."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, app_pages
from streamlit.testing.v1 import AppTest

from govreport_core.store import Store, StoreError

pytestmark = pytest.mark.slow  # every page on every kind of refused database, in both languages

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


# How each file is made, and words the sentence of its kind must hold in each language (dashboard/refused.py).
KINDS: dict[str, tuple[Callable[[Path], None], dict[str, str]]] = {
    "schema 99": (newer_schema, {"zh": "由更新版本的 govreport 建立（数据库版本 99", "en": "made by a newer govreport (schema 99"}),
    "another program's": (another_programs_file, {"zh": "不是 govreport 的数据库", "en": "is not a govreport database"}),
    "damaged": (damaged, {"zh": "已损坏", "en": "is damaged"})}


@pytest.fixture(params=list(KINDS))
def refused_db(request: pytest.FixtureRequest, tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, str]]:
    make, words = KINDS[request.param]
    path = tmp_path / "refused.duckdb"
    make(path)
    with pytest.raises(StoreError):  # the store itself refuses it, as the dashboard opens it
        Store(path, read_only=True, shared=True)
    monkeypatch.setenv("GOVREPORT_DB", str(path))
    return path, words


def shown(at: AppTest, kind: str) -> list[str]:
    return [element.value for element in getattr(at, kind)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_says_why_the_database_is_refused_in_one_sentence(refused_db: tuple[Path, dict[str, str]],
                                                                     lang: str) -> None:
    path, words = refused_db
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
        assert words[lang] in text and str(path) in text, (page, text)
        assert bool(CJK.search(text.replace(str(path), ""))) == (lang == "zh"), (page, text)
        assert not any("Traceback" in str(v) for kind in ("error", "warning", "markdown", "text") for v in shown(at, kind))
        assert not at.dataframe and not at.button  # nothing of the page beside the sentence
