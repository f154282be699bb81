"""Errors the rules raise; every interface maps them to a clear message.

The API turns them into `{"detail", "code"}` with the status below, the web shows the
message beside the form, the CLI prints it on one line and exits non-zero.
"""


class DomainError(Exception):
    """A rule refused an action. `code` is stable and machine-readable."""

    code = "invalid"
    status = 400

    def __init__(self, detail: str, *, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code


class InvalidInput(DomainError):
    """The input breaks a rule (422 in the API)."""

    code = "invalid"
    status = 422


class NotFound(DomainError):
    """The thing named does not exist, or the actor may not know it exists."""

    code = "not_found"
    status = 404


class Forbidden(DomainError):
    """The actor may not do this."""

    code = "forbidden"
    status = 403


class Conflict(DomainError):
    """The action clashes with the current state (already done, taken, closed)."""

    code = "conflict"
    status = 409
