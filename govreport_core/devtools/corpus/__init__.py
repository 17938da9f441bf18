"""Corpus: fictional reports with known figures in every era and form, for tests and the accuracy benchmark.

`render` lays a spec out as HTML, text (flattened, pipes, tabs), DOCX or PDF; `generate` draws seeded
random specs with quirks and writes each file with its truth JSON (the shape of ../shared/seeds/truth).
"""
