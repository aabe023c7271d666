"""The built-in objects table matches a live Node.js 20 (skipped without one).

Production reads subscription paths with JavaScript property access, so what
``properties.constructor.name`` or ``properties.items.length`` finds depends on
JavaScript's built-ins.  The table in ``reference.subscriptions.js_builtins``
was read from Node.js 20; this test walks Node's objects from the same roots
and compares every own property.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess

import pytest

from reference.subscriptions import js_builtins
from reference.subscriptions.js_builtins import JsObject

# Walks every object reachable by string-keyed own properties and prototypes
# from the prototypes of JSON values, and prints them as JSON.
DUMP_SCRIPT = r"""
const roots = [Object.prototype, Array.prototype, String.prototype, Number.prototype, Boolean.prototype,
               Function.prototype]
const ids = new Map(); const order = []
const visit = (o) => { if (!ids.has(o)) { ids.set(o, order.length); order.push(o) } return ids.get(o) }
roots.forEach(visit)
const out = []
for (let i = 0; i < order.length; i++) {
  const o = order[i]
  const props = []
  for (const k of Object.getOwnPropertyNames(o)) {
    const d = Object.getOwnPropertyDescriptor(o, k)
    if (!('value' in d)) props.push([k, {accessor: k}])
    else if ((typeof d.value === 'object' && d.value !== null) || typeof d.value === 'function')
      props.push([k, {ref: visit(d.value)}])
    else if (typeof d.value === 'number') props.push([k, {number: String(d.value)}])
    else props.push([k, {string: d.value}])
  }
  const p = Object.getPrototypeOf(o)
  out.push({proto: p === null ? null : visit(p), props})
}
console.log(JSON.stringify({version: process.versions.node, objects: out}))
"""

ROOTS = (
    js_builtins.OBJECT_PROTOTYPE,
    js_builtins.ARRAY_PROTOTYPE,
    js_builtins.STRING_PROTOTYPE,
    js_builtins.NUMBER_PROTOTYPE,
    js_builtins.BOOLEAN_PROTOTYPE,
    js_builtins.FUNCTION_PROTOTYPE,
)
ACCESSORS = {
    "__proto__": js_builtins.PROTOTYPE_GETTER,
    "caller": js_builtins.RESTRICTED_PROPERTY,
    "arguments": js_builtins.RESTRICTED_PROPERTY,
}


@pytest.fixture(scope="module")
def node_objects() -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    run = subprocess.run([node, "-e", DUMP_SCRIPT], capture_output=True, text=True, check=True)
    dump = json.loads(run.stdout)
    if dump["version"].split(".")[0] != "20":
        pytest.skip(f"the table was read from Node.js 20, this is {dump['version']}")
    return dump["objects"]


def _same_number(ours: object, theirs: str) -> bool:
    expected = float(theirs)
    return isinstance(ours, (int, float)) and (ours == expected or (math.isnan(expected) and ours != ours))


def test_table_matches_node(node_objects: list[dict]) -> None:
    pairs: dict[int, JsObject] = dict(enumerate(ROOTS))
    pending = list(pairs)
    while pending:
        index = pending.pop()
        ours, theirs = pairs[index], node_objects[index]
        linked = [(theirs["proto"], ours.proto)]
        props = dict(theirs["props"])
        assert set(ours.own) == set(props), ours
        for key, value in props.items():
            mine = ours.own[key]
            if "accessor" in value:
                assert mine is ACCESSORS[key], (ours, key)
            elif "number" in value:
                assert _same_number(mine, value["number"]), (ours, key)
            elif "string" in value:
                assert mine == value["string"], (ours, key)
            else:
                linked.append((value["ref"], mine))
        for other, mine in linked:
            if other is None:
                assert mine is None, ours
                continue
            assert isinstance(mine, JsObject), (ours, other)
            if other in pairs:
                # Node shares some functions between properties; the table may hold copies.
                assert pairs[other].own.keys() == mine.own.keys()
            else:
                pairs[other] = mine
                pending.append(other)
    assert len(pairs) == len(node_objects)
