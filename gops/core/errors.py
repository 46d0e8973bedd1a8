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
