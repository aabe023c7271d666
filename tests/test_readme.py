"""The README's Python examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_readme_has_the_examples() -> None:
    assert len(BLOCKS) >= 3
    assert README.startswith("# cordial-harness\n\n```sh\nmake demo")


def test_reference_example_runs() -> None:
    exec(compile(BLOCKS[0], "README.md[reference]", "exec"), {})


def test_fixture_example_runs(cordial_mock) -> None:
    namespace: dict = {}
    exec(compile(BLOCKS[1], "README.md[fixtures]", "exec"), namespace)
    tests = [value for name, value in namespace.items() if name.startswith("test_")]
    assert tests
    for test in tests:
        test(cordial_mock)


def test_strategies_example_runs() -> None:
    namespace: dict = {}
    exec(compile(BLOCKS[2], "README.md[strategies]", "exec"), namespace)
    tests = [value for name, value in namespace.items() if name.startswith("test_")]
    assert tests
    for test in tests:
        test()
