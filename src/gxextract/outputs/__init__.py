"""The batch output folder: what is in it, and how it is written and read.

`gxextract.batch` fills it and `gxextract.review` merges reviewers' decisions into it; both go
through this package and neither through the other.

- ``layout``   the folder's file names, and `batch_output` (a folder a batch wrote)
- ``files``    atomic files, the folder's lock, write errors as `OutputFailed`
- ``journal``  crash-safe append-only JSON Lines (reports.jsonl, errors.jsonl, corrections.jsonl)
- ``records``  the journals' records of a document: a report line, a failure
- ``latest``   the record that counts for each document, and the journals compacted to those
- ``names``    names and cells made from untrusted input (json/ file names, CSV cells)
- ``tables``   fields.parquet, reports.csv, review.csv, narrative.parquet and json/ rebuilt from
               the latest reports, with the panel
"""
