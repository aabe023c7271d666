"""Destination settings as a Cordial (Actions) user saves them.

``apiKey`` and ``endpoint`` are always present (production's settings form
requires them); ``segmentIdKey`` is sometimes absent and sometimes empty.
Endpoints include Cordial's regional ingest hosts, a local mock, and forms
that change the request URL: a trailing slash (production concatenates, so
the path gains ``//``) and a base path.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

DEFAULT_ENDPOINT = "https://integrations-ingest-svc.usw1.cordial.com"

ENDPOINTS = (
    DEFAULT_ENDPOINT,
    DEFAULT_ENDPOINT + "/",
    "https://integrations-ingest-svc.use1.cordial.com",
    "https://integrations-ingest-svc.use1.cordial.com/",
    "http://127.0.0.1:8765",
    "http://localhost:5000/",
)
#: Endpoints that are valid URLs but unusual: a base path, an explicit default port.
UNUSUAL_ENDPOINTS = (
    "https://proxy.example.com/cordial",
    "https://proxy.example.com/cordial/",
    "https://integrations-ingest-svc.usw1.cordial.com:443",
)
SEGMENT_ID_KEYS = ("segment_id", "segmentUserId", "sid", "")


def api_keys() -> st.SearchStrategy[str]:
    """API keys shaped like Cordial's (hex) plus a few other printable forms."""
    return st.one_of(
        st.binary(min_size=16, max_size=16).map(bytes.hex),
        st.sampled_from(("k", "test-key", "ck_live_0123456789", "key with spaces")),
    )


@st.composite
def settings(draw: Any, segment_id_key: bool | None = None, unusual: bool = False) -> dict[str, str]:
    """A settings object in production's JSON form (``apiKey``, ``endpoint``, ``segmentIdKey``).

    ``segment_id_key``: True always sets it, False never does, None (default) sometimes.
    ``unusual=True`` also draws endpoints with a base path or an explicit default port.
    """
    endpoint = draw(st.sampled_from(ENDPOINTS + (UNUSUAL_ENDPOINTS if unusual else ())))
    out = {"apiKey": draw(api_keys()), "endpoint": endpoint}
    include = draw(st.booleans()) if segment_id_key is None else segment_id_key
    if include:
        out["segmentIdKey"] = draw(st.sampled_from(SEGMENT_ID_KEYS))
    return out
