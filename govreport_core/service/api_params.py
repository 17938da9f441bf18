"""The open-data API's parameters: the page filters by their URL names, and the API's own `_` options, checked.

The filters are `filters.FILTERS` (the same names as the dashboard's URL and the command line's flags); the API's
own options start with `_` as Datasette's do (`_size`, `_next`, `_sort`, `_sort_desc`, `_search`…). Unlike the
dashboard, which drops a bad value with a notice, the API refuses it: every problem is a `BadRequest` whose
sentence names the parameter and says what it allows. No Streamlit here.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from govreport_core import catalog
from govreport_core.store.filters import FILTERS, Filter, Filters, from_params
from govreport_core.store.queries import SORT_COLUMNS

MAX_QUERY = 4000  # characters of a whole query string
MAX_VALUE = 200  # characters of one value (a `_next` token may be longer: it carries a row's sort values)
MAX_TOKEN = 2000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class BadRequest(Exception):
    """A request the API refuses, said in one sentence; `status` 400, or 404 for what does not exist."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Option:
    """One of an endpoint's own parameters."""

    name: str
    kind: str  # int | choice | choices | metrics | metric | text | flag | token | year
    help: str
    default: Any = None
    allowed: tuple[str, ...] = ()
    low: int = 1
    high: int = 0

    def parse(self, text: str) -> Any:
        if self.kind == "int":
            if not text.isdigit() or not self.low <= int(text) <= self.high:
                raise BadRequest(f"Parameter {self.name!r} must be a whole number from {self.low} to {self.high}; "
                                 f"got {text!r}.")
            return int(text)
        if self.kind == "year":
            if not text.isdigit() or not catalog.FIRST_YEAR <= int(text) <= catalog.LAST_YEAR:
                raise BadRequest(f"Parameter {self.name!r} must be a year from {catalog.FIRST_YEAR} to "
                                 f"{catalog.LAST_YEAR}; got {text!r}.")
            return int(text)
        if self.kind == "flag":
            if text not in ("0", "1"):
                raise BadRequest(f"Parameter {self.name!r} takes 1 (yes) or 0 (no); got {text!r}.")
            return text == "1"
        if self.kind == "choice":
            if text not in self.allowed:
                raise BadRequest(f"Parameter {self.name!r} takes one of {', '.join(self.allowed)}; got {text!r}.")
            return text
        if self.kind in ("choices", "metrics", "metric"):
            chosen = [v.strip() for v in text.split(",") if v.strip()]
            allowed = catalog.METRICS if self.kind in ("metrics", "metric") else self.allowed
            bad = [v for v in chosen if v not in allowed]
            if bad or not chosen:
                where = ("a metric key (the list: /api/v1/metrics.json)" if allowed is catalog.METRICS
                         else "one of " + ", ".join(self.allowed))
                raise BadRequest(f"Parameter {self.name!r} takes {where}"
                                 f"{' (comma-separated)' if self.kind != 'metric' else ''}; "
                                 f"{', '.join(map(repr, bad)) or 'nothing'} is not.")
            if self.kind == "metric" and len(chosen) > 1:
                raise BadRequest(f"Parameter {self.name!r} takes one metric key; got {len(chosen)}.")
            if self.high and len(chosen) > self.high:  # each metric is a query of its own
                raise BadRequest(f"Parameter {self.name!r} takes at most {self.high} keys; got {len(chosen)}.")
            return chosen[0] if self.kind == "metric" else tuple(dict.fromkeys(chosen))
        if self.kind == "token":
            return decode_token(text, self.name)
        return text  # text


def size(default: int, high: int, unit: str = "rows") -> Option:
    return Option("_size", "int", f"{unit} per page" + ("" if "at most" in unit else f" (at most {high})"), default,
                  low=1, high=high)


NEXT = Option("_next", "token", "the `next` token of the previous page: the page after it")
SEARCH = Option("_search", "text", "words that must each appear in the agency, title or area names (as 报告详情's search)")
SORT = Option("_sort", "choice", "sort by this column, ascending (the report number breaks ties; default: the "
              "pages' order: year, province, city, county, agency)", allowed=tuple(SORT_COLUMNS))
SORT_DESC = Option("_sort_desc", "choice", "sort by this column, descending", allowed=tuple(SORT_COLUMNS))
HEADERS = Option("_headers", "choice", "CSV column headers: metric and column keys (key), Chinese (zh) or English "
                 "(en) labels, with codes in the cells labelled too", "key", allowed=("key", "zh", "en"))
BY = Option("_by", "choice", "the areas compared (default as the pages: provinces; a chosen province's cities; a "
            "chosen city's counties)", allowed=("province", "city", "region"))


def encode_token(values: list[Any]) -> str:
    """An opaque `_next` token: the last row's sort values (JSON, base64url)."""
    text = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def decode_token(text: str, name: str = "_next") -> list[Any]:
    refused = BadRequest(f"Parameter {name!r} must be the `next` value of a previous page of the same query; "
                         f"{text[:40]!r} is not.")
    if len(text) > MAX_TOKEN:
        raise refused
    try:
        values = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise refused from exc
    if not isinstance(values, list) or not all(v is None or type(v) in (int, float, str) for v in values):
        raise refused
    return values


def check_token(values: list[Any], key: list[tuple[str, bool]]) -> list[Any]:
    """The token's values fit the sort key: as many, each of its column's type (they are bound to SQL casts)."""
    refused = BadRequest("Parameter '_next' was given by a query of another order; ask again without it.")
    if len(values) != len(key):
        raise refused
    for value, (column, _) in zip(values, key, strict=True):
        kind = SORT_COLUMNS[column]
        if value is None:
            continue
        ok = {"INTEGER": isinstance(value, int) and abs(value) < 2**31, "DOUBLE": isinstance(value, int | float),
              "DATE": isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None,
              "VARCHAR": isinstance(value, str)}[kind]
        if not ok:
            raise refused
    return values


def _filter_value(spec: Filter, text: str) -> None:
    """Refuse a filter value the dashboard would drop with a notice."""
    if spec.kind == "year":
        Option(spec.param, "year", "").parse(text)
    elif spec.kind == "flag":
        Option(spec.param, "flag", "").parse(text)
    elif spec.kind == "choices":
        Option(spec.param, "choices", "", allowed=spec.allowed).parse(text)
    elif spec.kind == "choice":
        Option(spec.param, "choice", "", allowed=spec.allowed).parse(text)


@dataclass
class Request:
    """A request's parameters, checked: the filters and the endpoint's options (defaults filled in)."""

    filters: Filters
    options: dict[str, Any]
    params: dict[str, str]  # as given (non-empty values), for links to other pages of the same query


def parse(pairs: list[tuple[str, str]], query_string: str, options: tuple[Option, ...], filters: bool = True) -> Request:
    """The query string's parameters checked against the filters (when the endpoint takes them) and `options`."""
    if len(query_string) > MAX_QUERY:
        raise BadRequest(f"The query string is {len(query_string)} characters long; at most {MAX_QUERY} are read.")
    known = {o.name: o for o in options}
    specs = {spec.param: spec for spec in FILTERS} if filters else {}
    seen: dict[str, str] = {}
    for name, value in pairs:
        if name not in known and name not in specs:
            allowed = ", ".join([*specs, *known]) or "none"
            raise BadRequest(f"Unknown parameter {name[:40]!r}. Parameters allowed here: {allowed}.")
        if name in seen:
            raise BadRequest(f"Parameter {name!r} is given twice; give it once (a list is comma-separated).")
        limit = MAX_TOKEN if known.get(name) is NEXT else MAX_VALUE
        if len(value) > limit:
            raise BadRequest(f"Parameter {name!r} is {len(value)} characters long; at most {limit} are read.")
        if _CONTROL.search(value):
            raise BadRequest(f"Parameter {name!r} holds a control character.")
        seen[name] = value.strip()
    given = {k: v for k, v in seen.items() if v}
    for name, text in given.items():
        if name in specs:
            _filter_value(specs[name], text)
    if "_sort" in given and "_sort_desc" in given:
        raise BadRequest("Give either '_sort' or '_sort_desc', not both.")
    values = {o.name: o.parse(given[o.name]) if o.name in given else o.default for o in options}
    if "from" in given and "to" in given and int(given["from"]) > int(given["to"]):
        raise BadRequest(f"Parameter 'from' ({given['from']}) is after 'to' ({given['to']}).")
    chosen = from_params({k: v for k, v in given.items() if k in specs}, "en").filters
    return Request(chosen, values, given)


def require(request: Mapping[str, Any], name: str) -> Any:
    if request.get(name) is None:
        raise BadRequest(f"Parameter {name!r} is required here.")
    return request[name]
