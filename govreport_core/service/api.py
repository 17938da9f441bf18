"""The open-data API: every view of the dashboard as JSON or CSV, read-only, under /api/v1/ on the dashboard's port.

Starlette routes (dashboard/server.py hands them to Streamlit's `st.App`, which serves them beside the dashboard); each
endpoint of `api_endpoints.ENDPOINTS` answers `name.json` and, for tables, `name.csv`. Shapes follow Datasette's:
`{"ok": true, "rows": [...], "count": N, "next": token, "next_url": url}`, `_size`/`_next` paging, a CSV beside
each JSON (UTF-8 with a BOM for Excel, formula-safe cells: `export`'s writer). A bad parameter is a 400 with a JSON
sentence, an unknown report or path a 404, any method but GET/HEAD a 405; a busy database (an ingest writing) a 503
with Retry-After. Reads go through the same short read-only connections as the pages (`Store(shared=True)`), so the
API answers while an ingest runs. Responses carry an ETag made from the data version (`queries.data_version`) and
the URL, so a client asking again with If-None-Match gets a 304 until the data change; Cache-Control is Datasette's
default (5 s). No Streamlit here.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import threading
from datetime import date, datetime
from typing import Any
from urllib.parse import quote, urlencode

import pandas as pd
from starlette.requests import Request as HttpRequest
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from govreport_core.service import api_docs, export
from govreport_core.service.api_endpoints import ENDPOINTS, PREFIX, Endpoint, Table, report
from govreport_core.service.api_params import HEADERS, BadRequest, parse
from govreport_core.service.default_data import open_store
from govreport_core.store import DatabaseError, Store, StoreBusy, StoreError, default_db_path
from govreport_core.store import queries as q
from govreport_core.store.filters import Filters

log = logging.getLogger("govreport.api")
CACHE_CONTROL = "public, max-age=5"  # Datasette's default_cache_ttl: short, the ETag makes asking again cheap
ALLOWED = "GET, HEAD"
_stores: dict[str, Store] = {}
_lock = threading.Lock()


def store() -> Store:
    """The database the dashboard reads ($GOVREPORT_DB), opened once per path, shared (short connections)."""
    path = str(default_db_path())
    with _lock:
        if path not in _stores:
            _stores[path] = open_store(path, shared=True)
        return _stores[path]


# --- values to JSON and CSV ---------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A cell as JSON has it: None for missing, whole floats as integers, dates as ISO text."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, (datetime, pd.Timestamp)) and value == value.replace(hour=0, minute=0, second=0, microsecond=0):
        return value.date().isoformat()  # a DATE column (published) comes back as a midnight timestamp
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def rows_json(frame: pd.DataFrame) -> str:
    """A frame as a JSON array of objects, written by pandas (C, not a Python loop over cells): a column of whole
    numbers as integers (counts are stored as decimals), missing values as null, dates as ISO text."""
    out = frame.copy(deep=False)
    out.columns = [str(c) for c in out.columns]
    floats = [c for c in out.columns if pd.api.types.is_float_dtype(out[c])]
    if floats:  # all columns at once: a wide page has 270 of them
        block = out[floats]
        whole = (((block % 1) == 0) & (block.abs() < 2**53) | block.isna()).all() & block.notna().any()
        if whole.any():
            names = list(whole[whole].index)
            out[names] = block[names].astype("Int64")
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            given = values.dropna()
            midnight = bool((given == given.dt.normalize()).all())  # a DATE column (published)
            out[column] = values.dt.strftime("%Y-%m-%d" if midnight else "%Y-%m-%dT%H:%M:%S.%f")
    return out.to_json(orient="records", force_ascii=False, date_format="iso", default_handler=str)


def _jsonable(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        return json.loads(rows_json(value))
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return _plain(value)


def _json_bytes(body: dict[str, Any]) -> bytes:
    return json.dumps(_jsonable(body), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def _toggled(params: dict[str, str], name: str, value: Any) -> tuple[bool, dict[str, str] | None]:
    """Whether a facet value is chosen by the request's filters, and the parameters that toggle it (None: none can):
    an area or scope replaces the choice, a level or era is added to (or taken from) the comma list, a year is
    from=to=year."""
    if value is None:
        return False, None  # reports that do not say: no filter names them
    toggle = dict(params)
    if name == "year":
        selected = params.get("from") == params.get("to") == str(value)
        if selected:
            toggle.pop("from"), toggle.pop("to")
        else:
            toggle |= {"from": str(value), "to": str(value)}
        return selected, toggle
    param = {"format_era": "era"}.get(name, name)
    chosen = [v for v in params.get(param, "").split(",") if v]
    selected = str(value) in chosen
    if name in ("level", "format_era"):
        chosen = [v for v in chosen if v != str(value)] if selected else [*chosen, str(value)]
    else:
        chosen = [] if selected else [str(value)]
    if chosen:
        toggle[param] = ",".join(chosen)
    else:
        toggle.pop(param, None)
    return selected, toggle


def _facets_body(body: dict[str, Any], request: HttpRequest, params: dict[str, str]) -> dict[str, Any]:
    """Datasette's facet shape: per facet its values with counts, whether each is selected, and the URL that
    toggles it; `truncated` when more values exist than `_facet_size`."""
    out: dict[str, Any] = {}
    path = request.url.path
    for name, frame in body["facets"].items():
        rows = []
        for value, count in frame.head(body["facet_size"]).itertuples(index=False, name=None):
            value = _plain(value)
            selected, toggle = _toggled(params, name, value)
            link = None if toggle is None else f"{path}?{urlencode(toggle, safe=',')}" if toggle else path
            rows.append({"value": value, "count": int(count), "selected": selected, "toggle_url": link})
        out[name] = {"name": name, "results": rows, "truncated": len(frame) > body["facet_size"]}
    return {"count": body["count"], "facet_results": out}


# --- responses ----------------------------------------------------------------------------------------------------


def _error(message: str, status: int, headers: dict[str, str] | None = None) -> Response:
    body = {"ok": False, "status": status, "error": message}
    return Response(_json_bytes(body), status, headers={"Cache-Control": "no-store", **(headers or {})},
                    media_type="application/json")


def _etag(request: HttpRequest) -> str:
    version = q.data_version(store())
    seed = f"{version}|{request.url.path}|{request.url.query}".encode()
    return 'W/"' + hashlib.sha256(seed).hexdigest()[:24] + '"'


def _fresh(request: HttpRequest, etag: str) -> bool:
    wanted = request.headers.get("if-none-match", "")
    return any(tag.strip() in (etag, "*", etag[2:]) for tag in wanted.split(","))


def _answer(request: HttpRequest, make: Any) -> Response:
    """The common part of every data response: method, ETag/304, errors as JSON sentences."""
    if request.method not in ("GET", "HEAD"):
        return _error(f"The API only reads: {request.method} is not allowed (use GET or HEAD).", 405, {"Allow": ALLOWED})
    try:
        etag = _etag(request)
        headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Access-Control-Allow-Origin": "*"}
        if _fresh(request, etag):
            return Response(status_code=304, headers=headers)
        response = make()
        response.headers.update(headers)
        return response
    except BadRequest as exc:
        return _error(str(exc), exc.status)
    except StoreBusy:
        log.warning("API %s: database busy", request.url.path)
        return _error("The database is busy (reports are being saved); ask again in a moment.", 503,
                      {"Retry-After": "2"})
    except (StoreError, DatabaseError) as exc:
        log.exception("API %s failed", request.url.path)
        text = str(exc) if isinstance(exc, StoreError) else "Reading the database failed; the server's log has details."
        return _error(text, 500)


def _file_name(endpoint: Endpoint, filters: Filters) -> str:
    name = export.file_name(filters, "csv")  # govreport_江苏省_2019-2024.csv: the selection in the name
    return name.replace("govreport", f"govreport_{endpoint.name}", 1)


def _respond(endpoint: Endpoint, fmt: str, request: HttpRequest) -> Response:
    options = endpoint.options if fmt == "csv" else tuple(o for o in endpoint.options if o is not HEADERS)
    checked = parse(list(request.query_params.multi_items()), request.url.query, options, endpoint.filters)
    answer = endpoint.run(store(), checked)
    if not isinstance(answer, Table):  # a dict: facets, counts
        body = _facets_body(answer, request, checked.params) if endpoint.name == "facets" else dict(answer)
        return Response(_json_bytes({"ok": True, **body}), media_type="application/json")
    headers: dict[str, str] = {}
    next_url = None
    if answer.next:
        next_url = f"{request.url.path}?{urlencode({**checked.params, '_next': answer.next})}"
        headers["Link"] = f'<{next_url}>; rel="next"'
    if answer.count is not None:
        headers["X-Total-Count"] = str(answer.count)
    if fmt == "csv":
        data = export.export_bytes(answer.frame, "csv", checked.options.get("_headers") or "key")
        name = _file_name(endpoint, checked.filters)
        headers["Content-Disposition"] = f"attachment; filename=\"govreport_{endpoint.name}.csv\"; filename*=UTF-8''{quote(name)}"
        return Response(data, media_type="text/csv; charset=utf-8", headers=headers)
    body: dict[str, Any] = {"ok": True, "endpoint": endpoint.name}
    if endpoint.filters:
        body |= {"filters": checked.filters.to_params(), "selection": checked.filters.describe("en")}
    body |= {**answer.extra, "columns": [str(c) for c in answer.frame.columns]}
    if answer.count is not None:
        body["count"] = answer.count
    if "_next" in {o.name for o in endpoint.options}:
        body |= {"next": answer.next, "next_url": next_url}
    # The rows written by pandas and put in place, last: a page of 50,000 cells in tens of milliseconds.
    data = _json_bytes(body)[:-1] + b',"rows":' + rows_json(answer.frame).encode("utf-8") + b"}"
    return Response(data, media_type="application/json", headers=headers)


def _endpoint(endpoint: Endpoint, fmt: str) -> Any:
    def handle(request: HttpRequest) -> Response:
        return _answer(request, lambda: _respond(endpoint, fmt, request))
    return handle


def _report(request: HttpRequest) -> Response:
    def make() -> Response:
        text = request.path_params["id"]
        if not text.isdigit():
            raise BadRequest(f"A report is named by its number (reports/7.json); {text[:40]!r} is not one.", 404)
        if len(text) > 10 or int(text) >= 2**31:
            raise BadRequest(f"There is no report {text[:20]}{'…' if len(text) > 20 else ''}.", 404)
        parse(list(request.query_params.multi_items()), request.url.query, (), filters=False)
        body = report(store(), int(text))
        body["previous_year_url"] = (f"{PREFIX}/reports/{body['previous_year']['report_id']}.json"
                                     if body["previous_year"] else None)
        return Response(_json_bytes({"ok": True, **body}), media_type="application/json")
    return _answer(request, make)


def _index(request: HttpRequest) -> Response:
    if request.method not in ("GET", "HEAD"):
        return _error(f"The API only reads: {request.method} is not allowed (use GET or HEAD).", 405, {"Allow": ALLOWED})
    return HTMLResponse(api_docs.index_html(PREFIX), headers={"Cache-Control": CACHE_CONTROL})


def _to_index(request: HttpRequest) -> Response:
    if request.method not in ("GET", "HEAD"):
        return _error(f"The API only reads: {request.method} is not allowed (use GET or HEAD).", 405, {"Allow": ALLOWED})
    return RedirectResponse(f"{PREFIX}/", 308)


def _openapi(request: HttpRequest) -> Response:
    if request.method not in ("GET", "HEAD"):
        return _error(f"The API only reads: {request.method} is not allowed (use GET or HEAD).", 405, {"Allow": ALLOWED})
    return Response(_json_bytes(api_docs.openapi(PREFIX)), media_type="application/json",
                    headers={"Cache-Control": CACHE_CONTROL, "Access-Control-Allow-Origin": "*"})


def _not_found(request: HttpRequest) -> Response:
    return _error(f"There is no API endpoint {request.url.path[:120]!r}; the list is at {PREFIX}/ "
                  f"(and {PREFIX}/openapi.json).", 404)


METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]  # every one answered: others with a 405


def routes() -> list[BaseRoute]:
    """The API's routes, for `st.App(routes=…)` (dashboard/server.py) or any Starlette app (the tests)."""
    out: list[BaseRoute] = [Route(f"{PREFIX}/", _index, methods=METHODS),
                            Route(PREFIX, _to_index, methods=METHODS),
                            Route(f"{PREFIX}/openapi.json", _openapi, methods=METHODS),
                            Route(f"{PREFIX}/reports/{{id}}.json", _report, methods=METHODS)]
    for endpoint in ENDPOINTS.values():
        out += [Route(f"{PREFIX}/{endpoint.name}.{fmt}", _endpoint(endpoint, fmt), methods=METHODS)
                for fmt in endpoint.formats]
    out.append(Route("/api/{rest:path}", _not_found, methods=METHODS))  # never the dashboard's HTML under /api/
    return out

