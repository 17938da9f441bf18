"""Names vulture (the dead-code check of scripts/test.sh) cannot see used, each with why it is not dead."""

import argparse

import docx.section

from govreport_core.extraction.readers.html import _ReaderBuilder
from govreport_core.model import ReportMeta
from govreport_core.store import Store
from govreport_core.store.filters import Filters

ReportMeta.published  # noqa: B018  filled by metadata.read_metadata through the constructor, read by to_dict()
argparse.Namespace.to  # noqa: B018  cli `export --year` sets the `to` filter, which filters.from_args reads by name
Store.session  # noqa: B018  one connection for a batch of saves in shared mode (the streaming ingest's batches)
docx.section.Section.orientation  # noqa: B018  python-docx's property setter: a landscape page in the corpus's Word files
_ReaderBuilder.comment  # noqa: B018  lxml's parser target calls it for each comment (dropped: not report text)
_ReaderBuilder.pi  # noqa: B018  lxml's parser target calls it for each processing instruction (dropped)
Filters.include_unknown_year  # noqa: B018  set by name from the URL and the filter table (FILTERS' field), read by getattr
