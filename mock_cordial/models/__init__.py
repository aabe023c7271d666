"""Cordial's data as the mock keeps it in SQLite: contacts, lists, carts, orders, activities.

Each module holds one kind of record; ``ingest`` and ``rest`` say what each
API call does with them. Every function takes an open transaction.
"""

from mock_cordial.models.errors import Conflict, InvalidInput, ModelError, NotFound

__all__ = ["ModelError", "NotFound", "InvalidInput", "Conflict"]
