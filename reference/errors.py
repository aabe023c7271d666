"""The errors the reference destination raises.

Every failure a user can cause (bad settings, mapping, subscription or
event) is a subclass of :class:`CordialHarnessError` with a message that
names the problem; delivery failures keep the HTTP status and body.
"""

from __future__ import annotations


class CordialHarnessError(Exception):
    """Base of every error raised on purpose by the project."""

    #: Short machine-readable name used in JSON output (``error.type``).
    kind = "Error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_json(self) -> dict:
        return {"type": self.kind, "message": self.message}


class InvalidSettingsError(CordialHarnessError):
    """Destination settings are missing or malformed."""

    kind = "InvalidSettings"

    def __init__(self, message: str, setting: str | None = None) -> None:
        super().__init__(message)
        self.setting = setting

    def to_json(self) -> dict:
        out = super().to_json()
        if self.setting is not None:
            out["field"] = self.setting
        return out


class InvalidMappingError(CordialHarnessError):
    """A mapping is not valid mapping-kit JSON; ``path`` points at the bad place.

    When several places are wrong, ``errors`` lists each one as
    ``{"field": path, "message": message}`` (``path`` is the first of them).
    """

    kind = "InvalidMapping"

    def __init__(self, message: str, path: str = "", errors: list[dict] | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.errors = errors or [{"field": path, "message": message}]

    def to_json(self) -> dict:
        out = super().to_json()
        out["field"] = self.path
        if len(self.errors) > 1:
            out["errors"] = self.errors
        return out


class MappingResolutionError(CordialHarnessError):
    """Resolving a valid mapping against an event failed where production's transform throws.

    Production checks some directive arguments only when it resolves them
    (e.g. ``@template`` of a value that is not a string, a Liquid error), so
    these depend on the event.  ``message`` is production's message; ``path``
    is the place in the mapping.
    """

    kind = "MappingResolutionError"

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.path = path

    def to_json(self) -> dict:
        out = super().to_json()
        out["field"] = self.path
        return out


class SubscriptionSyntaxError(CordialHarnessError):
    """A subscription string cannot be parsed."""

    kind = "InvalidSubscription"

    def __init__(self, message: str, subscription: str = "", position: int | None = None) -> None:
        super().__init__(message)
        self.subscription = subscription
        self.position = position


class PayloadValidationError(CordialHarnessError):
    """The mapped payload breaks the action's schema; production sends nothing.

    ``message`` is production's message (the same text its runtime reports);
    ``errors`` lists each violation with the field, expected type and what was found.
    """

    kind = "PayloadValidationError"

    def __init__(self, message: str, errors: list[dict] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or []

    @property
    def field(self) -> str | None:
        return self.errors[0].get("field") if self.errors else None

    def to_json(self) -> dict:
        out = super().to_json()
        if self.field is not None:
            out["field"] = self.field
        if self.errors:
            out["errors"] = self.errors
        return out


class UnknownActionError(CordialHarnessError):
    kind = "UnknownAction"


class DeliveryError(CordialHarnessError):
    """A request was sent and failed; ``status`` is None when no answer came."""

    kind = "DeliveryError"
    retryable = False

    def __init__(self, message: str, status: int | None = None, body: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body

    def to_json(self) -> dict:
        out = super().to_json()
        out["status"] = self.status
        if self.body is not None:
            out["body"] = self.body
        return out


class InvalidCredentialsError(DeliveryError):
    """401 or 403: the API key was refused."""

    kind = "InvalidCredentials"


class RetryableError(DeliveryError):
    """429, 5xx, a timeout or a connection error: sending again may succeed."""

    kind = "RetryableError"
    retryable = True

    def __init__(
        self,
        message: str,
        status: int | None = None,
        body: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, status, body)
        self.retry_after = retry_after

    def to_json(self) -> dict:
        out = super().to_json()
        if self.retry_after is not None:
            out["retryAfter"] = self.retry_after
        return out


class NonRetryableError(DeliveryError):
    """Any other 4xx: sending the same request again will fail again."""

    kind = "NonRetryableError"


class InvalidEventError(CordialHarnessError):
    """The event is not a JSON object."""

    kind = "InvalidEvent"


class SubscriptionEvaluationError(CordialHarnessError):
    """A subscription production accepts but whose evaluation fails on this event.

    Production parses some odd subscriptions (empty parentheses, a property
    path made only of separators, ``properties.constructor.caller``) and then
    throws while matching an event that reaches the odd part; the event is
    neither delivered nor skipped but fails.
    """

    kind = "SubscriptionEvaluationError"

    def __init__(self, message: str, subscription: str = "", position: int | None = None) -> None:
        super().__init__(message)
        self.subscription = subscription
        self.position = position


class RuntimeTypeError(CordialHarnessError):
    """Production's runtime throws a JavaScript TypeError on this event; nothing is sent.

    The message is the one production reports, so the two can be compared.
    """

    kind = "TypeError"
