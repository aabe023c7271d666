"""A stateful mock of Cordial: the ingest service and a REST API v2 slice over one SQLite state.

``create_app()`` returns the Flask app; ``cordial-harness serve`` runs it under
gunicorn; the pytest plugin offers ``cordial_mock`` and ``cordial_server``.
"""

from mock_cordial.app import create_app

__all__ = ["create_app"]
