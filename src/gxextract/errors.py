"""The only exceptions the public API raises for bad input."""


class GxError(Exception):
    """Base class: every error gxextract raises for bad input is one of these. Its message is one
    line of printable text: control characters and undecodable bytes in it (from a file name, a
    library's message) are escaped (`gxextract.names.shown`)."""

    code = "error"

    def __init__(self, message: str = "") -> None:
        from .names import shown

        super().__init__(shown(message) or (type(self).__doc__ or type(self).__name__).split(".")[0])


class UnreadableFile(GxError):
    """The file cannot be opened or decoded (missing, empty, corrupt, truncated)."""

    code = "unreadable"


class UnsupportedFormat(GxError):
    """The content is of a kind gxextract does not read."""

    code = "unsupported_format"


class EncryptedDocument(GxError):
    """The document is protected by a password that was not given."""

    code = "encrypted"


class TooLarge(GxError):
    """The document would exceed the memory or page limits."""

    code = "too_large"


class NotAReport(GxError):
    """The document is readable but holds no disclosure-report statistics."""

    code = "not_a_report"


class SeveralReports(GxError):
    """The file holds several reports (a compilation): read them all with extract_all (CLI: --all)."""

    code = "several_reports"

    def __init__(self, message: str = "", parts: list[dict] | None = None) -> None:
        super().__init__(message)
        self.parts = parts or []
        """Each report's ``part`` (from 1), ``title``, ``pages``, ``rows`` and ``chars`` (`models.Span`)."""


class MissingDependency(GxError):
    """A reader needs a program or package that is not installed."""

    code = "missing_dependency"


class OutputFailed(GxError):
    """The output folder cannot be written (read-only, disk full, gone): what was recorded stays."""

    code = "output_failed"


class NothingFound(GxError):
    """A batch's inputs name no document (an empty folder, or nothing readable in it)."""

    code = "nothing_found"

