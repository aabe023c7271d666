"""Reference Cordial (Actions) destination: what production sends, byte for byte.

>>> from reference import Destination, Settings
>>> dest = Destination(Settings(api_key="key", segment_id_key="segment_id"))
>>> dest.route({"type": "identify", "userId": "u1"})
['upsertContact']
>>> dest.build_request("upsertContact", {"type": "identify", "userId": "u1"}).content
b'{"segmentIdKey":"segment_id","segmentId":"u1"}'
"""

from reference.actions import ACTIONS
from reference.destination import Destination
from reference.errors import (
    CordialHarnessError,
    DeliveryError,
    InvalidCredentialsError,
    InvalidMappingError,
    InvalidSettingsError,
    NonRetryableError,
    PayloadValidationError,
    RetryableError,
    SubscriptionSyntaxError,
)
from reference.requests import PreparedRequest
from reference.settings import DEFAULT_ENDPOINT, Settings

__all__ = [
    "ACTIONS",
    "DEFAULT_ENDPOINT",
    "CordialHarnessError",
    "DeliveryError",
    "Destination",
    "InvalidCredentialsError",
    "InvalidMappingError",
    "InvalidSettingsError",
    "NonRetryableError",
    "PayloadValidationError",
    "PreparedRequest",
    "RetryableError",
    "Settings",
    "SubscriptionSyntaxError",
]
