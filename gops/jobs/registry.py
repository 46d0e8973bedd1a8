"""The kinds of background job. An app registers its kinds in its ``jobs.py``:

    @register("reports.mrpips03_xlsx", label=_("MRPiPS-03 report (XLSX)"),
              permission="reports.view_report")
    def mrpips03_xlsx(job, out, progress):
        ...write the file into `out`, calling progress(done, total) now and then...
        return "mrpips-03-2025.xlsx", "application/vnd.openxmlformats-..."

The function runs in the consumer with ``job.requested_by``'s rights (use the permission-
checked selectors with that user), writes its result into the binary file `out` (so memory
does not grow with the result's size), and returns the download's file name and content type.
Raising ValidationError fails the job with that message for the user.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO, Protocol


class Progress(Protocol):
    def __call__(self, done: int, total: int) -> None: ...


JobFunction = Callable[..., tuple[str, str]]


@dataclass(frozen=True)
class JobKind:
    code: str
    label: str
    permission: str
    run: JobFunction


REGISTRY: dict[str, JobKind] = {}


def register(code: str, *, label, permission: str) -> Callable[[JobFunction], JobFunction]:
    def decorator(fn: JobFunction) -> JobFunction:
        REGISTRY[code] = JobKind(code=code, label=label, permission=permission, run=fn)
        return fn

    return decorator


def get(code: str) -> JobKind:
    return REGISTRY[code]


__all__ = ["BinaryIO", "JobKind", "Progress", "REGISTRY", "get", "register"]
