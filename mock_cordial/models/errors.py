"""Errors the state raises when a request cannot be carried out; each knows Cordial's answer."""

from __future__ import annotations

__all__ = ["ModelError", "NotFound", "InvalidInput", "Conflict"]


class ModelError(Exception):
    """A request that is well formed but cannot change the state as asked."""

    status = 422
    error_key = "GENERIC_ERROR_KEY"

    def __init__(self, message: str, *, status: int | None = None, error_key: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        if error_key is not None:
            self.error_key = error_key

    def to_json(self) -> dict:
        """The body Cordial's REST API answers errors with."""
        return {"error": True, "errorKey": self.error_key, "message": self.message}


class NotFound(ModelError):
    """The record a request names does not exist."""

    status = 404
    error_key = "RECORD_NOT_FOUND"


class InvalidInput(ModelError):
    """A value the state cannot accept (wrong type, out of range, missing)."""

    error_key = "VALIDATION_ERROR"


class Conflict(ModelError):
    """The request would break a uniqueness rule (an order id, a list name, an email)."""

    status = 409
    error_key = "DUPLICATE_RECORD"
