import json

from jsonschema import Draft202012Validator

from semicluster.plans.schema import _namespace_refs, contributing_fragments, load_schema


def test_the_published_schema_is_a_valid_json_schema():
    Draft202012Validator.check_schema(load_schema())


def test_fragment_definitions_are_namespaced_so_equal_names_cannot_collide():
    fragment = {"properties": {"x": {"$ref": "#/$defs/decimal"}}, "$defs": {"decimal": {"type": "string"}}}
    assert _namespace_refs(fragment, "projects")["properties"]["x"] == {"$ref": "#/$defs/projects.decimal"}


def test_every_app_section_is_in_the_published_schema():
    schema = load_schema()
    for _namespace, path in contributing_fragments():
        for section in json.loads(path.read_text("utf-8")).get("properties", {}):
            assert section in schema["properties"]


def test_the_schema_is_served_publicly(client, db):
    response = client.get("/plan/schema.json")
    assert response.status_code == 200
    assert response.json()["title"] == "semicluster work plan"
