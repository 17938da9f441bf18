"""The open-data API described: a short human page (/api/v1/) and an OpenAPI 3.1 document (/api/v1/openapi.json),
both made from the endpoint table and the filter table, so they list exactly what the routes answer. No Streamlit.
"""

from __future__ import annotations

import html
from typing import Any

from govreport_core import catalog
from govreport_core.labels import t
from govreport_core.service.api_endpoints import ENDPOINTS, Endpoint
from govreport_core.service.api_params import MAX_QUERY, MAX_VALUE, Option
from govreport_core.store.filters import FILTERS, Filter

VERSION = "1.0"


def _filter_help(spec: Filter) -> str:
    if spec.kind == "year":
        return f"data year {'from' if spec.param == 'from' else 'up to'} ({catalog.FIRST_YEAR}–{catalog.LAST_YEAR})"
    if spec.kind == "flag":
        return t(spec.label or spec.caption, "en") + " (1)"
    if spec.kind in ("choices", "choice"):
        several = ", comma-separated" if spec.kind == "choices" else ""
        return f"one of {', '.join(spec.allowed)}{several}"
    return {"area": "the name as the reports write it (as 江苏省)", "text": "text the agency's name contains"}[spec.kind]


def _example(endpoint: Endpoint, prefix: str) -> str:
    suffix = endpoint.formats[0]
    return f"{prefix}/{endpoint.name}.{suffix}" + (f"?{endpoint.example}" if endpoint.example else "")


def index_html(prefix: str) -> str:
    """The API's front page: what it is, the filters, each endpoint with an example."""
    e = html.escape
    items = []
    for endpoint in ENDPOINTS.values():
        example = _example(endpoint, prefix)
        query = f"?{endpoint.example}" if endpoint.example else ""
        formats = " · ".join(f'<a href="{e(prefix)}/{e(endpoint.name)}.{f}{e(query)}">{f.upper()}</a>'
                             for f in endpoint.formats)
        options = ", ".join(f"<code>{e(o.name)}</code>" for o in endpoint.options)
        items.append(f"<li><b>{e(endpoint.name)}</b> ({formats}): {e(endpoint.summary)}"
                     f"{' Drawn on: ' + e(endpoint.chart) + '.' if endpoint.chart else ''}"
                     f"{' Options: ' + options + '.' if options else ''}"
                     f"<br>e.g. <a href=\"{e(example)}\"><code>{e(example)}</code></a></li>")
    report = f"{prefix}/reports/1.json"
    items.insert(1, f"<li><b>reports/&lt;id&gt;.json</b>: one report: its metadata, every figure with its evidence, "
                    f"the findings, the corrections and the same agency's report of the year before."
                    f"<br>e.g. <a href=\"{e(report)}\"><code>{e(report)}</code></a></li>")
    filters = "".join(f"<li><code>{e(s.param)}</code>: {e(_filter_help(s))}</li>" for s in FILTERS)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>govreport open data API v1</title>
<style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;line-height:1.5;padding:0 1rem}}
li{{margin-bottom:.6rem}}code{{background:#f5f3ef;padding:0 .2rem}}</style></head><body>
<h1>govreport open data API v1</h1>
<p>Every view of the dashboard as JSON or CSV: read-only (GET and HEAD), on the dashboard's own server. Tables take
the dashboard's filters by their URL names, so a page's URL parameters select the same reports here. JSON has
Datasette's shape (<code>ok</code>, <code>rows</code>, <code>count</code>, <code>next</code>,
<code>next_url</code>); ask for the next page with <code>_next</code>. CSV is UTF-8 with a BOM (Excel keeps the
Chinese), formula-safe, with key headers unless <code>_headers=zh</code> or <code>en</code>. A bad parameter is an
HTTP 400 with a sentence, an unknown report a 404; values are at most {MAX_VALUE} characters, query strings
{MAX_QUERY}. Responses carry an ETag from the data version (If-None-Match gives 304).
The whole description: <a href="{e(prefix)}/openapi.json">OpenAPI document</a>.</p>
<h2>Endpoints</h2><ul>{''.join(items)}</ul>
<h2>Filters (every table endpoint but metrics, unknown, duplicates)</h2><ul>{filters}</ul>
<p>By default only people's governments' own reports of a known year are counted, as on the pages.</p>
</body></html>"""


def _schema(option: Option) -> dict[str, Any]:
    if option.kind == "int":
        return {"type": "integer", "minimum": option.low, "maximum": option.high,
                **({"default": option.default} if option.default is not None else {})}
    if option.kind == "year":
        return {"type": "integer", "minimum": catalog.FIRST_YEAR, "maximum": catalog.LAST_YEAR}
    if option.kind == "flag":
        return {"type": "string", "enum": ["0", "1"]}
    if option.kind == "choice":
        return {"type": "string", "enum": list(option.allowed),
                **({"default": option.default} if option.default is not None else {})}
    return {"type": "string", "maxLength": MAX_VALUE}


def _parameters(endpoint: Endpoint) -> list[dict[str, Any]]:
    out = []
    if endpoint.filters:
        for spec in FILTERS:
            schema: dict[str, Any] = {"type": "string", "maxLength": MAX_VALUE}
            if spec.kind == "year":
                schema = {"type": "integer", "minimum": catalog.FIRST_YEAR, "maximum": catalog.LAST_YEAR}
            elif spec.kind == "flag":
                schema = {"type": "string", "enum": ["0", "1"]}
            elif spec.kind == "choice":
                schema = {"type": "string", "enum": list(spec.allowed)}
            out.append({"name": spec.param, "in": "query", "required": False, "description": _filter_help(spec),
                        "schema": schema})
    for option in endpoint.options:
        out.append({"name": option.name, "in": "query", "required": False, "description": option.help,
                    "schema": _schema(option)})
    return out


_ERROR = {"description": "A bad parameter: a JSON sentence naming it and what it allows.",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_BUSY = {"description": "The database is busy (an ingest writing); ask again after Retry-After seconds.",
         "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def openapi(prefix: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every route."""
    paths: dict[str, Any] = {}
    for endpoint in ENDPOINTS.values():
        for fmt in endpoint.formats:
            content = ({"text/csv": {"schema": {"type": "string"}}} if fmt == "csv" else
                       {"application/json": {"schema": {"$ref": "#/components/schemas/"
                                                        + ("Table" if endpoint.name not in ("facets", "counts")
                                                           else "Object")}}})
            paths[f"{prefix}/{endpoint.name}.{fmt}"] = {"get": {
                "operationId": f"{endpoint.name}_{fmt}", "summary": endpoint.summary, "parameters": _parameters(endpoint),
                "responses": {"200": {"description": "The table" if fmt == "csv" else "The answer", "content": content},
                              "304": {"description": "Not modified (If-None-Match matched the ETag)"},
                              "400": _ERROR, "503": _BUSY}}}
    paths[f"{prefix}/reports/{{id}}.json"] = {"get": {
        "operationId": "report_json", "summary": "One report: metadata, every figure with its evidence, findings, "
        "corrections, the same agency's report of the year before.",
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}],
        "responses": {"200": {"description": "The report", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Object"}}}},
            "404": {"description": "No such report", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Error"}}}}, "503": _BUSY}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "govreport open data API", "version": VERSION,
                 "description": "Chinese government information-disclosure annual reports as data: every view of the "
                                "dashboard as JSON or CSV. Read-only."},
        "paths": paths,
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["ok", "status", "error"],
                      "properties": {"ok": {"const": False}, "status": {"type": "integer"}, "error": {"type": "string"}}},
            "Object": {"type": "object", "properties": {"ok": {"const": True}}},
            "Table": {"type": "object", "required": ["ok", "columns", "rows"], "properties": {
                "ok": {"const": True}, "endpoint": {"type": "string"}, "filters": {"type": "object"},
                "selection": {"type": "string"}, "columns": {"type": "array", "items": {"type": "string"}},
                "rows": {"type": "array", "items": {"type": "object"}}, "count": {"type": "integer"},
                "next": {"type": ["string", "null"]}, "next_url": {"type": ["string", "null"]}}}}},
    }
