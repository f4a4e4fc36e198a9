"""gxextract: clean, checked data from Chinese government disclosure annual reports.

    from gxextract import extract
    report = extract("report.pdf")
    report.fields["requests.new_received.total"].value
"""

from .errors import (
    EncryptedDocument,
    GxError,
    MissingDependency,
    NotAReport,
    SeveralReports,
    TooLarge,
    UnreadableFile,
    UnsupportedFormat,
)
from .limits import Limits
from .models import Check, FieldResult, Report
from .pipeline import extract, extract_all

__all__ = [
    "extract", "extract_all", "Limits", "Report", "FieldResult", "Check", "GxError", "UnreadableFile",
    "UnsupportedFormat", "EncryptedDocument", "TooLarge", "NotAReport", "SeveralReports", "MissingDependency",
]
