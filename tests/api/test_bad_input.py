"""Bad input gets a 4xx with the reason and changes nothing, on SQLite and PostgreSQL alike:
one test per kind of input that once made a 500 (found by tests/api/test_schemathesis.py
and the issue that asked for it)."""

import json
from typing import Any

import pytest
from django.test import Client

from accord.contributions.models import Contribution
from accord.domain.errors import InvalidInput
from accord.ledger import services as ledger
from accord.ledger.models import Entry
from accord.people.models import AccessToken, Group, Member
from accord.people.schemas import ProfilePatch, parse
from accord.people.services import clean_expertise
from accord.web.inputs import Input
from accord.web.paging import PAGE_MAX
from tests.conftest import Cast, client_for

BIG = 2**63  # one past the largest 64-bit integer


def refused(response: Any, status: int = 422) -> str:
    """The response is a refusal in the API's error shape; its detail."""
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert set(body) == {"detail", "code"}
    assert body["detail"]
    return str(body["detail"])


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/members?search=a%00b",
        "/api/v1/members/a%00b",
        "/api/v1/groups/a%00b",
        "/api/v1/ledger/entries?kind=contribution%00",
        "/api/v1/partners/a%00b/members",
    ],
)
def test_a_nul_byte_in_a_filter_or_a_path_is_refused(cast: Cast, path: str) -> None:
    detail = refused(client_for(cast.steward).get(path))

    assert "NUL" in detail


@pytest.mark.parametrize(
    "body",
    [
        '{"display_name": "Mo\\u0000"}',
        '{"display_name": "Mo\\ud800"}',  # a lone surrogate: not Unicode
        '{"expertise": ["python", "\\udfff"]}',
    ],
)
def test_unsafe_text_in_a_body_is_refused_and_changes_nothing(cast: Cast, body: str) -> None:
    response = client_for(cast.member).patch("/api/v1/me", body, content_type="application/json")

    refused(response)
    cast.member.refresh_from_db()
    assert cast.member.display_name == "Mo Member"
    assert cast.member.expertise == []


def test_unsafe_text_is_refused_deep_in_a_document_and_in_its_keys(cast: Cast) -> None:
    client = client_for(cast.steward)
    bodies = [
        {"document": {"base_points": {"mentoring\x00": "1"}}, "reason": "r"},
        {"document": {"tenure": [{"note": "\x00"}]}, "reason": "r"},
        {"document": json.loads("[" * 40 + "]" * 40), "reason": "r"},
    ]

    details = [
        refused(
            client.post(
                "/api/v1/criteria",
                {**body, "effective_from": "2030-01-01"},
                content_type="application/json",
            )
        )
        for body in bodies
    ]

    assert "NUL" in details[0]
    assert details[1].startswith("document.tenure.0.note: must not contain a NUL")
    assert "nested" in details[2]


def test_the_forms_and_commands_parse_into_the_same_refusal() -> None:
    with pytest.raises(InvalidInput, match="NUL"):
        parse(ProfilePatch, {"bio": "hello\x00"})


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/ledger/entries?limit={BIG}",
        f"/api/v1/ledger/entries?before={BIG}",
        f"/api/v1/ledger/heads?offset={BIG}",
        f"/api/v1/members?limit={BIG}",
        f"/api/v1/ledger/entries/{BIG}",
        f"/api/v1/ledger/consistency?old=1&new={BIG}",
        f"/api/v1/contributions/{BIG}",
        f"/api/v1/statements/{BIG}",
    ],
)
def test_an_integer_past_64_bits_is_refused(cast: Cast, path: str) -> None:
    refused(client_for(cast.steward).get(path))


def test_the_largest_integers_are_answered_not_crashed(cast: Cast) -> None:
    client = client_for(cast.steward)
    top = BIG - 1

    assert client.get(f"/api/v1/ledger/entries?limit={top}&before={top}").status_code == 200
    assert client.get("/api/v1/members?limit=500").status_code == 200
    refused(client.get("/api/v1/members?limit=501"))
    refused(client.get(f"/api/v1/contributions/{top}"), 404)
    refused(client.get(f"/api/v1/ledger/entries/{top}/receipt"), 404)


def _append(n: int) -> None:
    ledger.append_many(ledger.Record("test.filler", ledger.SYSTEM, "x", {}) for _ in range(n))


def test_one_request_lists_at_most_a_page_of_the_ledger(db: None) -> None:
    _append(PAGE_MAX + 20)

    page = Client().get(f"/api/v1/ledger/entries?limit={10 * PAGE_MAX}").json()

    assert len(page["items"]) == PAGE_MAX
    assert page["count"] == Entry.objects.count()
    assert page["next"] == json.loads(page["items"][-1]["entry"])["seq"]


def test_the_ledger_pages_by_key_newest_first_with_nothing_missed(db: None) -> None:
    _append(7)
    client, seen, before = Client(), [], ""

    while True:
        page = client.get(f"/api/v1/ledger/entries?limit=3{before}").json()
        seen += [json.loads(e["entry"])["seq"] for e in page["items"]]
        if page["next"] is None:
            break
        before = f"&before={page['next']}"

    assert seen == sorted(Entry.objects.values_list("seq", flat=True), reverse=True)


@pytest.mark.parametrize("hours", ["sNaN", "NaN", "-sNaN", "Infinity", "1e999999", "1e-999999"])
def test_hours_that_are_not_a_finite_number_are_refused(cast: Cast, hours: str) -> None:
    body = {"kind": "mentoring", "title": "t", "date": "2024-01-02", "level": 1, "hours": hours}

    response = client_for(cast.member).post(
        "/api/v1/contributions", body, content_type="application/json"
    )

    assert "hours" in refused(response).lower()
    assert not Contribution.objects.exists()


def test_a_csv_field_over_the_csv_limit_is_refused(cast: Cast) -> None:
    header = "source_key,member,kind,title,date,hours,level\n"
    row = f"k1,{cast.member.pseudonym},mentoring,{'x' * 200_000},2024-01-02,1,1\n"

    response = client_for(cast.steward).post(
        "/api/v1/contributions/import", {"csv": header + row}, content_type="application/json"
    )

    assert "not valid CSV" in refused(response)
    assert not Contribution.objects.exists()


def test_a_source_key_longer_than_its_column_is_a_row_error(cast: Cast) -> None:
    header = "source_key,member,kind,title,date,hours,level\n"
    row = f"{'k' * 121},{cast.member.pseudonym},mentoring,t,2024-01-02,1,1\n"

    response = client_for(cast.steward).post(
        "/api/v1/contributions/import", {"csv": header + row}, content_type="application/json"
    )

    assert "source_key is longer than 120" in refused(response)
    assert not Contribution.objects.exists()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/pools/spring/distributions", {"key": "k" * 181}),
        ("post", "/api/v1/pools/spring/funding", {"amount": 1, "source": "s", "key": "k" * 181}),
        ("post", "/api/v1/pools/spring/funding", {"amount": BIG, "source": "s"}),
        ("post", "/api/v1/pools/spring/funding", {"amount": 1, "source": "s" * 151}),
        ("post", "/api/v1/groups", {"name": "n", "kind": "chapter", "term_limit": 2**15}),
        ("post", "/api/v1/tokens", {"name": "n", "expires_in_days": BIG}),
        ("put", "/api/v1/groups/north/roles", {"member": "m" * 201, "role": "lead"}),
    ],
)
def test_keys_and_numbers_longer_than_their_columns_are_refused(
    cast: Cast, method: str, path: str, body: dict[str, Any]
) -> None:
    before = (Group.objects.count(), AccessToken.objects.count(), Entry.objects.count())
    client = client_for(cast.steward)

    refused(getattr(client, method)(path, body, content_type="application/json"))

    assert (Group.objects.count(), AccessToken.objects.count(), Entry.objects.count()) == before


def test_a_huge_expertise_list_is_refused_by_its_length(cast: Cast) -> None:
    tags = ["python"] * 200_000  # 2 MB of tags

    detail = refused(
        client_for(cast.member).patch(
            "/api/v1/me", {"expertise": tags}, content_type="application/json"
        )
    )

    assert "expertise" in detail
    assert Member.objects.get(pk=cast.member.pk).expertise == []


def test_cleaning_expertise_counts_the_tags_before_looking_at_any() -> None:
    with pytest.raises(InvalidInput, match="At most 20"):
        clean_expertise(", ".join(["python"] * 500_000))  # the form's text, 4 MB
    with pytest.raises(InvalidInput, match="At most 20"):
        clean_expertise([object()] * 21)  # refused before the first is read

    assert clean_expertise("Python, python ,  Grant writing") == ["python", "grant writing"]


def _unbounded(schema: dict[str, Any], components: dict[str, Any], where: str) -> list[str]:
    """Where a JSON schema lets a caller send a string, list or integer without a limit."""
    if "$ref" in schema:
        return _unbounded(components[schema["$ref"].rsplit("/", 1)[1]], components, where)
    found = []
    for option in schema.get("anyOf", []):
        found += _unbounded(option, components, where)
    kind = schema.get("type")
    if kind == "string" and not {"maxLength", "enum", "format", "const"} & set(schema):
        found.append(where)
    if kind == "integer" and "maximum" not in schema:
        found.append(where)
    if kind == "array":
        if "maxItems" not in schema:
            found.append(where)
        found += _unbounded(schema.get("items", {}), components, f"{where}[]")
    for name, prop in schema.get("properties", {}).items():
        found += _unbounded(prop, components, f"{where}.{name}")
    return found


def test_every_input_the_api_takes_is_bounded_and_checked_for_unsafe_text(db: None) -> None:
    """A new route or field cannot skip the shared rules: each parameter is a bounded type
    (accord.web.inputs.Key, Id, the pages) and each body an `Input`."""
    spec = Client().get("/api/v1/openapi.json").json()
    components = spec["components"]["schemas"]
    inputs = {cls.__name__ for cls in _subclasses(Input)}
    unbounded, unchecked = [], []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            for param in op.get("parameters", []):
                where = f"{method} {path} {param['name']}"
                unbounded += _unbounded(param["schema"], components, where)
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                name = body["schema"]["$ref"].rsplit("/", 1)[1]
                unchecked += [] if name in inputs else [name]
                unbounded += _unbounded(body["schema"], components, f"{method} {path} {name}")

    assert unchecked == []
    assert unbounded == []


def _subclasses(cls: type) -> set[type]:
    return {s for c in cls.__subclasses__() for s in {c, *_subclasses(c)}}
