"""Text-layer PDFs → table grids and running text, as small separately testable steps.

    objects (pdfium: chars, path segments) ─► pages (triage: which pages carry tables)
    ─► rules (visible ruling lines) ─► grid (edges → cells with spans, pure geometry)
    ─► cells (characters into cells) / unruled (characters into words for `gxextract.unruled`)
    ─► readers.pdf (Document; tables continued on the next page stitched by `gxextract.stitch`)

Coordinates are PDF points with a top-left origin (as pdfplumber gives them):
``(x0, top, x1, bottom)``.
"""
