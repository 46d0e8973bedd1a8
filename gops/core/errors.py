"""Errors that services raise and views and the API turn into messages and status codes."""


class ConflictError(Exception):
    """The write would clash with data already stored (HTTP 409)."""

    def __init__(self, message: str, *, field: str | None = None, existing=None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.existing = existing


class NeedsConfirmation(Exception):
    """The write is allowed but the user should look first (e.g. a probable duplicate)."""

    def __init__(self, message: str, *, candidates=()):
        super().__init__(message)
        self.message = message
        self.candidates = list(candidates)


class VersionConflict(ConflictError):
    """A save made over a newer version of a record than the one the user loaded (optimistic
    locking): nothing is written.

    `changes` lists what changed since, as dicts with the field's name, its label, the value the
    user saw and the value saved now (both for display); `version` is the version saved now.
    """

    def __init__(self, message: str, *, changes: list[dict], version: int):
        super().__init__(message)
        self.changes = changes
        self.version = version
