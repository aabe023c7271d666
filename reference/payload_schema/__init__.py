"""Payload cleaning and validation exactly as production's runtime does it.

>>> from reference.fields import Field
>>> schema = compile_payload_schema({
...     "sku": Field(label="SKU", description="", type="string", required=True),
...     "qty": Field(label="Quantity", description="", type="integer", required=True),
... })
>>> schema.process({"sku": 123, "qty": "2", "extra": True})
{'sku': '123', 'qty': 2}
>>> schema.process({"qty": "2.5"})
Traceback (most recent call last):
...
reference.errors.PayloadValidationError: The root value is missing the required field 'sku'. \
Quantity must be an integer but it was a string.
"""

from reference.payload_schema.compiled import PayloadSchema, compile_payload_schema
from reference.payload_schema.date_like import is_date_like
from reference.payload_schema.json_schema import fields_to_json_schema

__all__ = ["PayloadSchema", "compile_payload_schema", "fields_to_json_schema", "is_date_like"]
