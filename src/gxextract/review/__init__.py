"""Review workflow: a static review page over a batch's output folder, the reviewer's
decisions merged back into the outputs, and page pictures with what was found drawn on them.

- `page`     ``gxextract review DIR -o review.html``: one self-contained HTML page
- `crops`    the picture of the page around a cell, its box drawn (PDF via pypdfium2, images via Pillow)
- `apply`    ``gxextract apply DIR corrections.json``: decisions kept in ``DIR/corrections.jsonl``
             and merged into ``reports.jsonl`` and the tables (also re-applied by every batch run)
- `inspect`  ``gxextract inspect FILE -o DIR``: PNG pages with table regions, cells and field ids
"""
