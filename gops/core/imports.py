"""Reading CSV files made in a spreadsheet, and the report of an all-or-nothing import.

Excel in a Polish locale saves "CSV (rozdzielany przecinkami)" with semicolons and, as
"CSV UTF-8", with a byte order mark; LibreOffice asks and usually uses commas. The reader
takes the delimiter from the header row and drops the mark, so every one of them reads the
same. It reads line by line: a file opened as a stream is never held whole in memory.
"""

import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TextIO

# An import lists at most this many broken rows; the rest are counted (ImportReport.unlisted).
MAX_LISTED_ERRORS = 100
DELIMITERS = ";,\t"
BOM = "\ufeff"


@dataclass
class ImportReport:
    """The outcome of a CSV import: either every row imported, or none and the reasons."""

    imported: int = 0
    # (line number in the file, the header being line 1; reasons), in the order of the file,
    # at most `max_listed` of them.
    errors: list[tuple[int, str]] = field(default_factory=list)
    # Every broken row, listed or not.
    error_count: int = 0
    max_listed: int | None = MAX_LISTED_ERRORS

    def add_error(self, line: int, reason: str) -> None:
        self.error_count += 1
        if self.max_listed is None or len(self.errors) < self.max_listed:
            self.errors.append((line, reason))

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def unlisted(self) -> int:
        """Broken rows counted but left out of `errors`."""
        return self.error_count - len(self.errors)


def _lines(source: str | TextIO) -> tuple[Iterable[str], str]:
    """The lines of `source` (text, or a text stream opened with newline="") without a byte
    order mark, and the delimiter the header line uses most (a comma when it uses none)."""
    stream = io.StringIO(source) if isinstance(source, str) else source
    first = stream.readline()
    if first.startswith(BOM):
        first = first[len(BOM) :]
    counts = {d: first.count(d) for d in DELIMITERS}
    delimiter = max(DELIMITERS, key=counts.__getitem__) if any(counts.values()) else ","
    return itertools.chain([first], stream), delimiter


def csv_reader(source: str | TextIO) -> Iterator[list[str]]:
    """A ``csv.reader`` over `source`, delimiter and byte order mark handled (module doc).

    Its ``line_num`` is the file line the last row read ends on (the header is line 1).
    """
    lines, delimiter = _lines(source)
    return csv.reader(lines, delimiter=delimiter)


def csv_dict_reader(source: str | TextIO) -> csv.DictReader:
    """A ``csv.DictReader`` over `source`, as csv_reader reads it."""
    lines, delimiter = _lines(source)
    return csv.DictReader(lines, delimiter=delimiter)
