"""The destination: settings plus routing, request building and delivery."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from reference import delivery, js_json
from reference.actions import ACTIONS
from reference.errors import InvalidEventError
from reference.pipeline import CompiledAction
from reference.requests import PreparedRequest, action_request, check_auth_request
from reference.settings import Settings
from reference.subscriptions import Subscription, parse_subscription

_DEFAULT_SUBSCRIPTIONS: tuple[tuple[str, Subscription], ...] = tuple(
    (name, parse_subscription(action.default_subscription))
    for name, action in ACTIONS.items()
    if action.default_subscription
)


class Destination:
    """Production's Cordial (Actions) destination for one set of settings.

    Compiled configurations (mapping + defaults flag) are cached, so building
    many requests with the same mapping compiles it once.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.BaseTransport | None = None,
        async_transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = delivery.DEFAULT_TIMEOUT,
    ) -> None:
        self.settings = settings
        self._transport = transport
        self._async_transport = async_transport
        self._timeout = timeout
        self._compiled: dict[tuple[str, str, bool], CompiledAction] = {}
        self._client: httpx.Client | None = None

    # -- routing -------------------------------------------------------------
    def route(self, event: Mapping[str, Any]) -> list[str]:
        """Every action whose default subscription matches, in definition order."""
        if not isinstance(event, Mapping):
            raise InvalidEventError("an event must be a JSON object")
        return [name for name, subscription in _DEFAULT_SUBSCRIPTIONS if subscription.matches(event)]

    # -- building ------------------------------------------------------------
    def compile(
        self, action: str, mapping: Mapping[str, Any] | None = None, *, use_default_mappings: bool = True
    ) -> CompiledAction:
        """The compiled configuration, from the cache when seen before."""
        key = (action, js_json.dumps(mapping) if mapping is not None else "", use_default_mappings)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = CompiledAction(action, mapping, use_default_mappings=use_default_mappings)
            self._compiled[key] = compiled
        return compiled

    def build_request(
        self,
        action: str,
        event: Mapping[str, Any],
        mapping: Mapping[str, Any] | None = None,
        use_default_mappings: bool = True,
    ) -> PreparedRequest:
        """The request production sends for this event, or the error it rejects it with."""
        compiled = self.compile(action, mapping, use_default_mappings=use_default_mappings)
        return action_request(self.settings, compiled.name, compiled.body(event, self.settings.body_keys))

    # -- delivery ------------------------------------------------------------
    def _sync_client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(transport=self._transport, timeout=self._timeout)
        return self._client

    def send(
        self,
        action: str,
        event: Mapping[str, Any],
        mapping: Mapping[str, Any] | None = None,
        use_default_mappings: bool = True,
    ) -> httpx.Response:
        """Build and send; raises PayloadValidationError or a DeliveryError subclass."""
        request = self.build_request(action, event, mapping, use_default_mappings)
        return delivery.send(request, self._sync_client())

    async def send_async(
        self,
        action: str,
        event: Mapping[str, Any],
        mapping: Mapping[str, Any] | None = None,
        use_default_mappings: bool = True,
        *,
        client: httpx.AsyncClient | None = None,
    ) -> httpx.Response:
        """Async twin of :meth:`send`; pass a shared ``client`` to reuse connections."""
        request = self.build_request(action, event, mapping, use_default_mappings)
        if client is not None:
            return await delivery.send_async(request, client)
        async with httpx.AsyncClient(transport=self._async_transport, timeout=self._timeout) as own:
            return await delivery.send_async(request, own)

    def test_authentication(self) -> None:
        """GET /api/checkAuth; raises InvalidCredentialsError when the key is refused."""
        delivery.send(check_auth_request(self.settings), self._sync_client())

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> Destination:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
