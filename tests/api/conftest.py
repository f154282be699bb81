"""pytest 9.2 builds a test item's node id from its function's name and its parametrize ids
only, so the items schemathesis makes, one per API operation, would all share one id, and
pytest-xdist (`--dist loadfile`) would run just one of them. Each takes its full name, with
the operation, as its id."""

import pytest
from schemathesis.pytest.plugin import SchemathesisFunction


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if isinstance(item, SchemathesisFunction) and item.parent is not None:
            item._id = item.parent.id.child(item.name)
