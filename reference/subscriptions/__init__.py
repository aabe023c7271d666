"""Production's subscription language (Segment's FQL as its destinations read it).

A subscription such as ``type = "track" and event = "Product Added"`` decides
which events an action receives.  This package reproduces production's lexer,
parser and evaluator exactly, including their surprises (documented in
:mod:`.lexer`, :mod:`.parser` and :mod:`.predicates`); the most important:

* ``and``/``or`` have no precedence: the last one at a level joins everything
  at that level (``a and b or c`` is ``a or b or c``); parentheses group but
  cannot nest.
* Unrecognized parts are skipped silently; only a subscription with nothing
  recognizable, unclosed parentheses, missing values or lexical errors fail.
* ``=`` compares text (``properties.n = "5"`` misses the number 5), ``!=``
  passes missing fields, and negated ``contains``/``match`` need a string.

>>> sub = parse_subscription('type = "track" and event = "Product Added"')
>>> sub.matches({"type": "track", "event": "Product Added"})
True
>>> matches('type = "track" or type = "page"', {"type": "identify"})
False
"""

from reference.subscriptions.subscription import Subscription, matches, parse_subscription

__all__ = ["Subscription", "matches", "parse_subscription"]
