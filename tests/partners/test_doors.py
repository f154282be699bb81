"""The partner actions through their pages and API routes: each door calls the one
service, so what it refuses is refused alike, and bad input is kept and explained."""

from accord.ledger.models import Entry
from accord.partners.models import Partner, Representative
from accord.people.models import Member, SiteRole
from tests.conftest import Cast, client_for

HARBOUR = {
    "name": "Harbour Trust",
    "kind": "foundation",
    "website": "https://harbour.org",
    "description": "Funds the sailing club.",
}


def test_a_steward_adds_a_partner_from_the_public_list(cast: Cast) -> None:
    steward = client_for(cast.steward)

    form = steward.get("/partners/")
    added = steward.post("/partners/", HARBOUR)

    assert "Add a partner" in form.content.decode()
    assert added.status_code == 302
    assert added["Location"] == "/partners/harbour-trust/manage/"
    assert Partner.objects.get(slug="harbour-trust").website == "https://harbour.org"
    assert Entry.objects.filter(kind="partner.added", actor=cast.steward.pseudonym).count() == 1


def test_the_add_form_keeps_bad_input_and_says_what_is_wrong(cast: Cast) -> None:
    response = client_for(cast.steward).post("/partners/", {**HARBOUR, "kind": "cartel"})

    page = response.content.decode()
    assert response.status_code == 422
    assert "is not a partner kind" in page
    assert 'value="Harbour Trust"' in page
    assert not Partner.objects.filter(name="Harbour Trust").exists()


def test_only_stewards_see_or_use_the_add_form(cast: Cast) -> None:
    member = client_for(cast.member)

    listing = member.get("/partners/")
    refused = member.post("/partners/", HARBOUR)
    anonymous = client_for(None).post("/partners/", HARBOUR)

    assert "Add a partner" not in listing.content.decode()
    assert refused.status_code == 403
    assert "Only stewards add partners." in refused.content.decode()
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert not Partner.objects.filter(name="Harbour Trust").exists()


def test_a_steward_edits_a_partner_on_its_manage_page(cast: Cast) -> None:
    steward = client_for(cast.steward)
    url = f"/partners/{cast.partner.slug}/manage/"
    fields = {"name": "Northbridge Uni", "kind": "university", "website": "", "description": ""}

    bad = steward.post(url, {**fields, "website": "not a site"})
    good = steward.post(url, fields)

    assert bad.status_code == 422
    assert "web address" in bad.content.decode()
    assert 'value="not a site"' in bad.content.decode()
    assert good.status_code == 302
    partner = Partner.objects.get(pk=cast.partner.pk)
    assert (partner.name, partner.kind, partner.slug) == (
        "Northbridge Uni",
        "university",
        cast.partner.slug,
    )


def test_the_manage_page_is_not_found_for_anyone_but_stewards(cast: Cast) -> None:
    url = f"/partners/{cast.partner.slug}/manage/"
    for who in (cast.member, cast.partner_rep, cast.auditor):
        client = client_for(who)
        assert client.get(url).status_code == 404
        assert client.post(url, {"name": "Taken over"}).status_code == 404
        assert (
            client.post(
                f"/partners/{cast.partner.slug}/representatives/",
                {"member": who.pseudonym},
            ).status_code
            == 404
        )

    assert Partner.objects.get(pk=cast.partner.pk).name == "Northbridge University"
    assert Member.objects.get(pk=cast.member.pk).role == SiteRole.MEMBER


def test_a_steward_appoints_and_removes_a_representative_from_the_page(cast: Cast) -> None:
    steward = client_for(cast.steward)
    base = f"/partners/{cast.other_partner.slug}"

    unknown = steward.post(f"{base}/representatives/", {"member": "nobody-at-all"})
    appointed = steward.post(f"{base}/representatives/", {"member": cast.member.user.email})
    page = steward.get(f"{base}/manage/").content.decode()
    removed = steward.post(f"{base}/representatives/{cast.member.pseudonym}/remove/")

    assert unknown.status_code == 422
    assert "No member" in unknown.content.decode()
    assert 'value="nobody-at-all"' in unknown.content.decode()
    assert appointed.status_code == 302
    assert cast.member.display_name in page
    assert cast.member.pseudonym in page
    assert removed.status_code == 302
    assert not Representative.objects.filter(member=cast.member).exists()
    assert Member.objects.get(pk=cast.member.pk).role == SiteRole.MEMBER
    assert Entry.objects.filter(kind="role.changed").count() == 2


def test_the_api_adds_and_edits_partners_for_stewards_only(cast: Cast) -> None:
    steward, member = client_for(cast.steward), client_for(cast.member)

    refused = member.post("/api/v1/partners/", HARBOUR, content_type="application/json")
    bad = steward.post(
        "/api/v1/partners/", {**HARBOUR, "kind": "cartel"}, content_type="application/json"
    )
    missing = steward.post("/api/v1/partners/", {"kind": "ngo"}, content_type="application/json")
    created = steward.post("/api/v1/partners/", HARBOUR, content_type="application/json")
    patched = steward.patch(
        "/api/v1/partners/harbour-trust",
        {"website": "https://harbour.example"},
        content_type="application/json",
    )
    not_theirs = member.patch(
        "/api/v1/partners/harbour-trust", {"name": "X"}, content_type="application/json"
    )

    assert refused.status_code == 403
    assert refused.json() == {"detail": "Only stewards add partners.", "code": "forbidden"}
    assert bad.status_code == 422
    assert bad.json()["code"] == "invalid"
    assert missing.status_code == 422
    assert created.status_code == 201
    assert created.json()["slug"] == "harbour-trust"
    assert patched.status_code == 200
    assert patched.json()["website"] == "https://harbour.example"
    assert patched.json()["name"] == "Harbour Trust"
    assert not_theirs.status_code == 403
    assert Partner.objects.get(slug="harbour-trust").name == "Harbour Trust"


def test_the_api_appoints_and_removes_representatives(cast: Cast) -> None:
    steward = client_for(cast.steward)
    url = f"/api/v1/partners/{cast.other_partner.slug}/representatives"

    refused = client_for(cast.partner_rep).post(
        url, {"member": cast.member.pseudonym}, content_type="application/json"
    )
    conflict = steward.post(
        url, {"member": cast.steward.pseudonym}, content_type="application/json"
    )
    appointed = steward.post(
        url, {"member": cast.member.pseudonym}, content_type="application/json"
    )
    removed = steward.delete(f"{url}/{cast.member.pseudonym}")
    again = steward.delete(f"{url}/{cast.member.pseudonym}")

    assert refused.status_code == 403
    assert conflict.status_code == 409
    assert appointed.status_code == 201
    assert appointed.json()["member"] == cast.member.pseudonym
    assert appointed.json()["partner"] == cast.other_partner.slug
    assert removed.status_code == 204
    assert again.status_code == 404
    assert Member.objects.get(pk=cast.member.pk).role == SiteRole.MEMBER


def test_a_representative_reads_their_partner_through_the_api_and_not_another(cast: Cast) -> None:
    rep = client_for(cast.partner_rep)

    own = rep.get(f"/api/v1/partners/{cast.partner.slug}/members")
    other = rep.get(f"/api/v1/partners/{cast.other_partner.slug}/members")
    missing = rep.get("/api/v1/partners/no-such-partner/members")

    assert own.status_code == 200
    assert own.json()["partner"]["slug"] == cast.partner.slug
    assert other.status_code == 403
    assert missing.status_code == 404
