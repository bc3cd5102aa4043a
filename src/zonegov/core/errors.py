"""One application error type; views show its message, the API maps it to one JSON shape."""

from django.core.exceptions import ValidationError


class ApplicationError(Exception):
    """A business rule refused the action. ``message`` is shown to the user as is."""

    status_code = 400

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = str(message)
        self.field_errors = field_errors or {}


class PermissionRefused(ApplicationError):
    status_code = 403


class NotFound(ApplicationError):
    status_code = 404


def field_errors_from_validation_error(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for e in errs for m in e.messages]
            for field, errs in exc.error_dict.items()
        }
    return {"__all__": [str(m) for m in exc.messages]}
