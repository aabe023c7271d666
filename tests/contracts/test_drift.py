"""Drift between our REST v2 contract and Cordial's published Swagger file.

Everything our contract asks of a client must exist in Cordial's API: every
path and method, every parameter, every required body field, each with a
type Cordial accepts.  Path templates are compared with parameter names
blanked (ours says ``{primaryKey}``, Cordial's ``{primary_key}``).  Runs
only when ``../shared`` is present.
"""

from __future__ import annotations

import copy
import re

import pytest

from contracts import load_document

_TEMPLATE_PARAM = re.compile(r"\{[^}]+\}")
METHODS = ("get", "put", "post", "delete", "patch")


def normalise(template: str) -> str:
    return _TEMPLATE_PARAM.sub("{}", template)


def resolve(document: dict, node: dict) -> dict:
    while isinstance(node, dict) and "$ref" in node:
        target: dict = document
        for token in node["$ref"].lstrip("#/").split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def merged(document: dict, schema: dict) -> dict:
    """The schema with ``$ref`` and ``allOf`` folded into one object schema."""
    schema = resolve(document, schema)
    out: dict = {"properties": {}, "required": []}
    for part in [schema, *schema.get("allOf", [])]:
        part = resolve(document, part) if part is not schema else part
        if part is not schema:
            part = merged(document, part)
        out["properties"].update(part.get("properties", {}))
        out["required"].extend(part.get("required", []))
        if "type" in part:
            out["type"] = part["type"]
    return out


def types_of(document: dict, schema: dict) -> set[str]:
    schema = resolve(document, schema)
    declared = schema.get("type")
    if declared is None and "allOf" in schema:
        return set().union(*(types_of(document, part) for part in schema["allOf"]))
    found = {declared} if isinstance(declared, str) else set(declared or [])
    return {"number" if t == "float" else t for t in found}


def compatible(ours: set[str], theirs: set[str], *, on_the_wire_as_text: bool) -> bool:
    """Every type we allow is one Cordial takes (an integer is a number; parameters travel as text)."""
    if not theirs:
        return True
    for kind in ours:
        if kind in theirs or (kind == "integer" and "number" in theirs):
            continue
        if on_the_wire_as_text and "string" in theirs and kind in ("integer", "number", "boolean"):
            continue
        return False
    return True


@pytest.fixture(scope="module")
def ours() -> dict:
    return load_document("rest-v2")


@pytest.fixture(scope="module")
def swagger_paths(rest_v2_swagger) -> dict[str, tuple[str, dict]]:
    return {normalise(path): (path, item) for path, item in rest_v2_swagger["paths"].items()}


def our_operations(document: dict):
    for template, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield template, method, item, item[method]


def test_every_path_and_method_exists_in_swagger(ours, swagger_paths):
    missing = [
        f"{method.upper()} {template}"
        for template, method, _, _ in our_operations(ours)
        if normalise(template) not in swagger_paths or method not in swagger_paths[normalise(template)][1]
    ]
    assert not missing, f"not in Cordial's Swagger: {missing}"


def parameter_problems(ours: dict, swagger_paths: dict) -> list[str]:
    problems = []
    for template, method, item, operation in our_operations(ours):
        swagger_template, swagger_item = swagger_paths[normalise(template)]
        swagger_op = swagger_item[method]
        theirs = {
            (p["in"], p["name"]): p
            for p in [*swagger_item.get("parameters", []), *swagger_op.get("parameters", [])]
            if p.get("in") != "body"
        }
        # Path parameters pair up by position, since the two files name them differently.
        renamed = dict(
            zip(_TEMPLATE_PARAM.findall(template), _TEMPLATE_PARAM.findall(swagger_template), strict=True)
        )
        for parameter in [*item.get("parameters", []), *operation.get("parameters", [])]:
            parameter = resolve(ours, parameter)
            name = parameter["name"]
            if parameter["in"] == "path":
                name = renamed["{" + name + "}"].strip("{}")
            where = f"{method.upper()} {template} {parameter['in']} parameter {parameter['name']!r}"
            counterpart = theirs.get((parameter["in"], name))
            if counterpart is None:
                problems.append(f"{where}: not in Swagger")
                continue
            our_types = types_of(ours, parameter["schema"])
            their_types = {counterpart["type"]} if "type" in counterpart else set()
            if not compatible(our_types, their_types, on_the_wire_as_text=True):
                problems.append(f"{where}: {sorted(our_types)} vs Swagger {sorted(their_types)}")
    return problems


def test_every_parameter_exists_in_swagger_with_a_compatible_type(ours, swagger_paths):
    problems = parameter_problems(ours, swagger_paths)
    assert not problems, "\n".join(problems)


def test_drift_check_catches_an_invented_or_retyped_parameter(ours, swagger_paths):
    changed = copy.deepcopy(ours)
    parameters = changed["paths"]["/v2/orders"]["get"]["parameters"]
    parameters.append({"name": "colour", "in": "query", "schema": {"type": "string"}})
    parameters.append({"name": "cID", "in": "query", "schema": {"type": "object"}})
    assert parameter_problems(changed, swagger_paths) == [
        "GET /v2/orders query parameter 'colour': not in Swagger",
        "GET /v2/orders query parameter 'cID': ['object'] vs Swagger ['string']",
    ]


def _required_field_problems(
    ours: dict, our_schema: dict, swagger: dict, their_schema: dict, where: str
) -> list:
    mine = merged(ours, our_schema)
    theirs = merged(swagger, their_schema)
    problems = []
    for key in mine["required"]:
        if key not in theirs["properties"]:
            problems.append(f"{where}/{key}: required here, unknown to Swagger")
            continue
        our_types = types_of(ours, mine["properties"].get(key, {}))
        their_types = types_of(swagger, theirs["properties"][key])
        if not compatible(our_types, their_types, on_the_wire_as_text=False):
            problems.append(f"{where}/{key}: {sorted(our_types)} vs Swagger {sorted(their_types)}")
        elif "object" in our_types:
            problems += _required_field_problems(
                ours, mine["properties"][key], swagger, theirs["properties"][key], f"{where}/{key}"
            )
    return problems


def test_every_required_body_field_exists_in_swagger_with_a_compatible_type(
    ours, swagger_paths, rest_v2_swagger
):
    problems = []
    checked = 0
    for template, method, _, operation in our_operations(ours):
        if "requestBody" not in operation:
            continue
        _, swagger_item = swagger_paths[normalise(template)]
        body_parameters = [p for p in swagger_item[method].get("parameters", []) if p.get("in") == "body"]
        where = f"{method.upper()} {template}"
        if not body_parameters:
            problems.append(f"{where}: takes a body here, none in Swagger")
            continue
        our_schema = resolve(ours, operation["requestBody"])["content"]["application/json"]["schema"]
        problems += _required_field_problems(
            ours, our_schema, rest_v2_swagger, body_parameters[0]["schema"], where
        )
        checked += 1
    assert checked >= 10
    assert not problems, "\n".join(problems)


def test_drift_check_catches_an_invented_field(ours, rest_v2_swagger):
    invented = {
        "type": "object",
        "required": ["listName", "colour"],
        "properties": {"colour": {"type": "string"}},
    }
    problems = _required_field_problems(ours, invented, rest_v2_swagger, {"$ref": "#/definitions/List"}, "x")
    assert problems == [
        "x/listName: required here, unknown to Swagger",
        "x/colour: required here, unknown to Swagger",
    ]
    wrong_type = {"type": "object", "required": ["name"], "properties": {"name": {"type": "integer"}}}
    assert _required_field_problems(
        ours, wrong_type, rest_v2_swagger, {"$ref": "#/definitions/List"}, "x"
    ) == ["x/name: ['integer'] vs Swagger ['string']"]
