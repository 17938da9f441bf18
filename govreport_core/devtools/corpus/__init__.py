"""Corpus: fictional reports with known figures in every era and form, for tests and the accuracy benchmark.

`render` lays a spec out as HTML, text (flattened, pipes, tabs), DOCX or PDF; `generate` draws seeded
random specs with quirks and writes each file with its truth JSON (the shape of ../shared/seeds/truth);
`scans` makes a PDF a scan of itself (page images, no text layer); `mix` writes folders mixed as a collection
would be (mostly PDF, some HTML, a few scans) for `bench --ingest --mix`.
"""
