"""Delivering events files for ``cordial-harness replay`` (and the keys ``send`` shares).

``source`` reads lines with offsets, ``plan`` compiles the configuration,
``keys`` derives Idempotency-Keys, ``wire`` is the keep-alive HTTP client,
``retry`` and ``rate`` pace delivery, ``checkpoint`` and ``dead_letter`` make
a run resumable without loss, ``stats``, ``report`` and ``progress`` tell the
user what happened, and ``engine`` ties them together.
"""
