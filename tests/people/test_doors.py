"""The pages and API routes for groups, group roles, terms, site roles and erasure: each
parses its input, calls the one service and maps its refusals (no checks of its own)."""

from datetime import timedelta

from django.utils import timezone

from accord.ledger.models import Entry
from accord.people.models import Group, GroupRole, LeadershipTerm, Member, Membership, SiteRole
from tests.conftest import Cast, client_for
from tests.factories import add_to_group, make_group

TODAY = timezone.localdate()


def _json(client, method: str, path: str, body: dict[str, object]):  # type: ignore[no-untyped-def]
    return getattr(client, method)(path, body, content_type="application/json")


def test_a_member_starts_a_group_from_the_web_and_leads_it(cast: Cast) -> None:
    client = client_for(cast.member)

    form = client.get("/groups/new/")
    bad = client.post("/groups/new/", {"name": "Tide", "kind": "club", "term_limit": "2"})
    done = client.post(
        "/groups/new/",
        {"name": "Tide", "kind": "chapter", "parent": cast.group.slug, "term_limit": "2"},
    )

    assert form.status_code == 200
    assert bad.status_code == 422
    assert "is not a group kind" in bad.content.decode()
    assert 'value="Tide"' in bad.content.decode()  # nothing typed is lost
    group = Group.objects.get(name="Tide")
    assert done.status_code == 302
    assert done["Location"] == f"/groups/{group.slug}/"
    assert group.parent == cast.group
    assert Membership.objects.get(group=group).member == cast.member


def test_a_member_starts_a_group_through_the_api(cast: Cast) -> None:
    client = client_for(cast.member)

    bad = _json(
        client, "post", "/api/v1/groups", {"name": "Tide", "kind": "chapter", "term_limit": 0}
    )
    done = _json(client, "post", "/api/v1/groups", {"name": "Tide", "kind": "chapter"})
    again = _json(client, "post", "/api/v1/groups", {"name": "tide", "kind": "chapter"})

    assert bad.status_code == 422
    assert bad.json()["code"] == "invalid"
    assert done.status_code == 201
    assert done.json()["slug"] == "tide"
    assert again.status_code == 409


def test_editing_a_group_is_for_stewards_and_its_leads(cast: Cast) -> None:
    path = f"/groups/{cast.group.slug}/edit/"
    fields = {"name": "North", "kind": "chapter", "parent": "", "term_limit": "3"}

    refused_page = client_for(cast.member).post(path, fields)
    refused_api = _json(
        client_for(cast.member), "patch", f"/api/v1/groups/{cast.group.slug}", {"name": "X"}
    )
    bad = client_for(cast.group_lead).post(path, {**fields, "term_limit": "many"})
    done = client_for(cast.group_lead).post(path, fields)
    api = _json(
        client_for(cast.steward), "patch", f"/api/v1/groups/{cast.group.slug}", {"term_limit": 4}
    )

    assert refused_page.status_code == 404
    assert refused_api.status_code == 403
    assert bad.status_code == 422
    assert "term_limit" in bad.content.decode()
    assert done.status_code == 302
    assert api.status_code == 200
    cast.group.refresh_from_db()
    assert (cast.group.name, cast.group.term_limit) == ("North", 4)


def test_archiving_and_merging_are_for_stewards(cast: Cast) -> None:
    into = make_group(name="South")
    spare = make_group(name="Spare")

    page_refused = client_for(cast.group_lead).post(f"/groups/{spare.slug}/archive/", {})
    api_refused = _json(
        client_for(cast.group_lead), "post", f"/api/v1/groups/{spare.slug}/archive", {}
    )
    archived = client_for(cast.steward).post(f"/groups/{spare.slug}/archive/", {"reason": "idle"})
    twice = _json(client_for(cast.steward), "post", f"/api/v1/groups/{spare.slug}/archive", {})
    bad_merge = client_for(cast.steward).post(
        f"/groups/{cast.group.slug}/merge/", {"into": "nowhere"}
    )
    merged = _json(
        client_for(cast.steward),
        "post",
        f"/api/v1/groups/{cast.group.slug}/merge",
        {"into": into.slug},
    )

    assert page_refused.status_code == 403
    assert api_refused.status_code == 403
    assert archived.status_code == 302
    assert twice.status_code == 409
    assert bad_merge.status_code == 422
    assert "No active group" in bad_merge.content.decode()
    assert merged.status_code == 200
    assert merged.json() == {"merged": cast.group.slug, "into": into.slug, "moved": 3, "closed": 0}
    joined = client_for(cast.other).post(f"/groups/{spare.slug}/join/")
    assert joined.status_code == 302
    assert not Membership.objects.filter(group=spare, member=cast.other).exists()


def test_group_roles_from_the_page_and_the_api(cast: Cast) -> None:
    page_path = f"/groups/{cast.group.slug}/roles/"
    api_path = f"/api/v1/groups/{cast.group.slug}/roles"
    co_lead = {"member": cast.member.pseudonym, "role": GroupRole.CO_LEAD}

    page_refused = client_for(cast.other).post(page_path, co_lead)
    api_refused = _json(client_for(cast.other), "put", api_path, co_lead)
    bad = client_for(cast.group_lead).post(page_path, {**co_lead, "role": "boss"})
    done = client_for(cast.group_lead).post(page_path, co_lead)
    api = _json(
        client_for(cast.steward),
        "put",
        api_path,
        {"member": cast.other.pseudonym, "role": GroupRole.SHADOW},
    )
    missing = _json(client_for(cast.steward), "put", api_path, {"member": "m-x", "role": "lead"})

    assert page_refused.status_code == 403
    assert api_refused.status_code == 403
    assert bad.status_code == 422
    assert done.status_code == 302
    assert api.status_code == 200
    assert api.json()["role"] == GroupRole.SHADOW
    assert missing.status_code == 404
    roles = dict(Membership.objects.filter(group=cast.group).values_list("member_id", "role"))
    assert roles[cast.member.pk] == GroupRole.CO_LEAD
    assert roles[cast.other.pk] == GroupRole.SHADOW


def test_the_group_page_offers_its_forms_only_to_who_may_use_them(cast: Cast) -> None:
    path = f"/groups/{cast.group.slug}/"

    as_member = client_for(cast.member).get(path).content.decode()
    as_lead = client_for(cast.group_lead).get(path).content.decode()
    as_steward = client_for(cast.steward).get(path).content.decode()

    assert "group-roles" not in as_member
    assert "Edit this group" not in as_member
    assert "group-roles" in as_lead
    assert "Archive this group" not in as_lead
    assert "Archive this group" in as_steward


def test_terms_from_the_leadership_page_and_the_api(cast: Cast) -> None:
    fields = {
        "group": cast.group.slug,
        "member": cast.group_lead.pseudonym,
        "role": "lead",
        "start": str(TODAY),
        "end": str(TODAY + timedelta(days=364)),
    }
    api_path = f"/api/v1/groups/{cast.group.slug}/terms"

    page_refused = client_for(cast.group_lead).post("/leadership/terms/", fields)
    api_refused = _json(client_for(cast.group_lead), "post", api_path, fields)
    bad = client_for(cast.steward).post("/leadership/terms/", {**fields, "end": "someday"})
    done = client_for(cast.steward).post("/leadership/terms/", fields)
    overlap = _json(
        client_for(cast.steward), "post", api_path, {**fields, "member": cast.member.pseudonym}
    )
    co = _json(client_for(cast.steward), "post", api_path, {**fields, "role": "co_lead"})

    assert page_refused.status_code == 404
    assert api_refused.status_code == 403
    assert bad.status_code == 422
    assert "end" in bad.content.decode()
    assert done.status_code == 302
    assert overlap.status_code == 409
    assert co.status_code == 201
    assert co.json()["role"] == "co_lead"
    assert LeadershipTerm.objects.filter(group=cast.group).count() == 2
    assert Entry.objects.filter(kind="leadership_term.recorded").count() == 2


def test_site_roles_from_the_member_page_and_the_api(cast: Cast) -> None:
    page_path = f"/members/{cast.member.pseudonym}/role/"
    api_path = f"/api/v1/members/{cast.member.pseudonym}/role"

    page_refused = client_for(cast.other).post(page_path, {"role": "steward"})
    api_refused = _json(client_for(cast.other), "put", api_path, {"role": "steward"})
    own = _json(
        client_for(cast.steward),
        "put",
        f"/api/v1/members/{cast.steward.pseudonym}/role",
        {"role": "member"},
    )
    bad = _json(client_for(cast.steward), "put", api_path, {"role": "king"})
    done = client_for(cast.steward).post(page_path, {"role": "auditor"})
    page = client_for(cast.steward).get(f"/members/{cast.member.pseudonym}/")

    assert page_refused.status_code == 404
    assert api_refused.status_code == 403
    assert own.status_code == 403
    assert bad.status_code == 422
    assert done.status_code == 302
    assert Member.objects.get(pk=cast.member.pk).role == SiteRole.AUDITOR
    assert Member.objects.get(pk=cast.steward.pk).role == SiteRole.STEWARD
    assert 'id="site-role"' in page.content.decode()
    mine = client_for(cast.steward).get(f"/members/{cast.steward.pseudonym}/")
    assert 'id="site-role"' not in mine.content.decode()


def test_erasure_through_the_api_needs_a_steward_and_a_reason(cast: Cast) -> None:
    path = f"/api/v1/members/{cast.other.pseudonym}/erasure"

    refused = _json(client_for(cast.member), "post", path, {"reason": "asked"})
    no_reason = _json(client_for(cast.steward), "post", path, {})
    done = _json(client_for(cast.steward), "post", path, {"reason": "Asked by phone"})

    assert refused.status_code == 403
    assert no_reason.status_code == 422
    assert done.status_code == 200
    assert Member.objects.get(pk=cast.other.pk).erased_at is not None
    assert Entry.objects.filter(kind="member.erased").count() == 1


def test_join_and_leave_through_the_api_map_the_services_refusals(cast: Cast) -> None:
    client = client_for(cast.member)
    spare = make_group()
    add_to_group(cast.other, spare)

    twice = client.post(f"/api/v1/groups/{cast.group.slug}/membership")
    missing = client.post("/api/v1/groups/nowhere/membership")
    not_in = client.delete(f"/api/v1/groups/{spare.slug}/membership")

    assert twice.status_code == 409
    assert missing.status_code == 404
    assert not_in.status_code == 404
