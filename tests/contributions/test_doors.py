"""The contributions actions through their pages and API routes, each a thin door over
one service: publishing a policy, recording, reviewing, disputing and importing."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from accord.contributions import services
from accord.contributions.models import Contribution, PolicyVersion, Status
from accord.contributions.schemas import ContributionIn, ImportIn, PolicyIn, ReasonIn, VerifyIn
from accord.demo import policies
from accord.demo.decided import pass_decision
from accord.domain.errors import Forbidden, InvalidInput, NotFound
from accord.domain.mandates import Gated
from accord.ledger.models import Entry, Note
from accord.people.schemas import parse
from tests.conftest import Cast, client_for
from tests.factories import publish

TODAY = timezone.localdate()
REASON = "The working group asked to value mentoring more (decision 2026-14)"


def _pending(cast: Cast) -> Contribution:
    return services.record_contribution(
        cast.member,
        ContributionIn(kind="code", title="Fixed it", date=TODAY - timedelta(days=1), level=2),
    )


def _publish_form(doc: object, **overrides: str) -> dict[str, str]:
    return {
        "document": doc if isinstance(doc, str) else json.dumps(doc),
        "effective_from": TODAY.isoformat(),
        "reason": REASON,
        **overrides,
    }


def test_the_service_takes_the_schema_the_api_uses(cast: Cast) -> None:
    data = PolicyIn(document=policies.version(1), effective_from=TODAY, reason=REASON)

    version = publish(cast.steward, data)

    assert version.version == 1
    entry = Entry.objects.get(kind="policy.published")
    assert entry.actor == cast.steward.pseudonym
    assert REASON.encode() not in bytes(entry.data)  # the reason is a salted hash
    assert Note.objects.get(text=REASON).digest in bytes(entry.data).decode()


def _decided(cast: Cast, n: int = 1) -> str:
    """The number of a passed decision adopting version `n` from today."""
    return str(
        pass_decision(
            cast.steward, Gated.PUBLISH_POLICY, policy=policies.version(n), effective_from=TODAY
        ).pk
    )


def test_a_steward_publishes_a_policy_from_the_criteria_pages(cast: Cast) -> None:
    steward = client_for(cast.steward)

    criteria = steward.get("/criteria/").content.decode()
    form = steward.get("/criteria/publish/")
    undecided = steward.post("/criteria/publish/", _publish_form(policies.version(1)))
    published = steward.post(
        "/criteria/publish/", _publish_form(policies.version(1), decision=_decided(cast))
    )
    prefilled = steward.get("/criteria/publish/").content.decode()

    assert 'href="/criteria/publish/"' in criteria
    assert form.status_code == 200
    assert undecided.status_code == 409
    assert "needs a passed decision" in undecided.content.decode()
    assert published.status_code == 302
    assert published["Location"] == "/criteria/"
    assert PolicyVersion.objects.get().reason == REASON
    assert "Version 1 is in force" in prefilled
    assert "&quot;base_points&quot;" in prefilled  # the next version starts from this one


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (_publish_form("{not json"), "Enter a valid JSON"),
        (_publish_form({"base_points": {}}), "base_points"),
        (_publish_form(policies.version(1), reason=" "), "reason"),
        (_publish_form(policies.version(1), effective_from="soon"), "Enter a valid date"),
    ],
)
def test_the_publish_form_keeps_bad_input_and_says_what_is_wrong(
    cast: Cast, form: dict[str, str], message: str
) -> None:
    response = client_for(cast.steward).post("/criteria/publish/", form)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not PolicyVersion.objects.exists()


def test_only_stewards_find_the_publish_form(cast: Cast) -> None:
    for who in (cast.member, cast.group_lead, cast.auditor, cast.partner_rep):
        client = client_for(who)
        assert 'href="/criteria/publish/"' not in client.get("/criteria/").content.decode()
        assert client.get("/criteria/publish/").status_code == 404
        assert (
            client.post("/criteria/publish/", _publish_form(policies.version(1))).status_code
            == 404
        )

    assert not PolicyVersion.objects.exists()


def test_the_api_publishes_a_policy_for_stewards_only(cast: Cast) -> None:
    body = {
        "document": policies.version(1),
        "effective_from": TODAY.isoformat(),
        "reason": REASON,
        "decision": int(_decided(cast)),
    }

    refused = client_for(cast.member).post(
        "/api/v1/criteria", body, content_type="application/json"
    )
    bad = client_for(cast.steward).post(
        "/api/v1/criteria", {**body, "document": {"x": 1}}, content_type="application/json"
    )
    no_reason = client_for(cast.steward).post(
        "/api/v1/criteria", {**body, "reason": ""}, content_type="application/json"
    )
    created = client_for(cast.steward).post(
        "/api/v1/criteria", body, content_type="application/json"
    )
    not_after = client_for(cast.steward).post(
        "/api/v1/criteria", body, content_type="application/json"
    )

    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert bad.status_code == 422
    assert no_reason.status_code == 422
    assert created.status_code == 201
    assert created.json()["version"] == 1
    assert not_after.status_code == 422
    assert "a new version must take effect after that date" in not_after.json()["detail"]
    assert PolicyVersion.objects.count() == 1
    assert Entry.objects.filter(kind="policy.published").count() == 1


def test_a_backdated_policy_is_refused_at_the_page_and_the_api_and_nothing_is_written(
    cast: Cast,
) -> None:
    steward = client_for(cast.steward)
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    body = {"document": policies.version(1), "effective_from": yesterday, "reason": REASON}
    before = Entry.objects.count()

    page = steward.post(
        "/criteria/publish/", _publish_form(policies.version(1), effective_from=yesterday)
    )
    api = steward.post("/api/v1/criteria", body, content_type="application/json")

    reason = f"A policy cannot act on the past: it must take effect today ({TODAY}) or later."
    assert page.status_code == 422
    assert reason in page.content.decode()
    assert f'value="{yesterday}"' in page.content.decode()  # the input is kept
    assert (api.status_code, api.json()) == (422, {"detail": reason, "code": "invalid"})
    assert not PolicyVersion.objects.exists()
    assert Entry.objects.count() == before


def test_a_version_not_after_the_latest_is_refused_at_the_page_and_the_api(cast: Cast) -> None:
    steward = client_for(cast.steward)
    later = (TODAY + timedelta(days=7)).isoformat()
    publish(
        cast.steward,
        PolicyIn(
            document=policies.version(1), effective_from=TODAY + timedelta(days=7), reason=REASON
        ),
    )
    before = Entry.objects.count()

    page = steward.post(
        "/criteria/publish/", _publish_form(policies.version(2), effective_from=later)
    )
    api = steward.post(
        "/api/v1/criteria",
        {"document": policies.version(2), "effective_from": TODAY.isoformat(), "reason": REASON},
        content_type="application/json",
    )

    reason = (
        f"Version 1 takes effect on {later}, so a new version must take effect after that date."
    )
    assert page.status_code == 422
    assert reason in page.content.decode()
    assert (api.status_code, api.json()["detail"]) == (422, reason)
    assert PolicyVersion.objects.count() == 1
    assert Entry.objects.count() == before


def test_services_look_up_and_refuse_what_the_actor_may_not_see(cast: Cast) -> None:
    c = _pending(cast)

    with pytest.raises(NotFound):
        services.verify_contribution(cast.other, c.pk, VerifyIn(impact=3))
    with pytest.raises(NotFound):
        services.reject_contribution(cast.partner_rep, c.pk, ReasonIn(reason="no"))
    with pytest.raises(NotFound):
        services.verify_contribution(cast.steward, 999_999, VerifyIn(impact=3))
    with pytest.raises(Forbidden):
        services.verify_contribution(cast.member, c.pk, VerifyIn(impact=3))
    with pytest.raises(NotFound):
        services.record_contribution(
            cast.member,
            ContributionIn(kind="code", title="x", date=TODAY, level=2, group="no-such-group"),
        )
    with pytest.raises(InvalidInput, match="impact"):
        parse(VerifyIn, {"impact": 9})

    c.refresh_from_db()
    assert c.status == Status.PENDING
    assert not Entry.objects.filter(kind="contribution.verified").exists()


def test_the_review_page_is_not_found_for_others_and_refused_for_the_contributor(
    cast: Cast,
) -> None:
    c = _pending(cast)
    url = f"/contributions/{c.pk}/review/"

    other = client_for(cast.other).post(url, {"decision": "verify", "impact": "3"})
    own = client_for(cast.member).post(url, {"decision": "verify", "impact": "3"}, follow=True)
    no_reason = client_for(cast.steward).post(url, {"decision": "reject", "note": ""}, follow=True)
    rejected = client_for(cast.steward).post(url, {"decision": "reject", "note": "No link"})

    assert other.status_code == 404
    assert "never their own work" in own.content.decode()
    assert "reason" in no_reason.content.decode()
    assert rejected.status_code == 302
    c.refresh_from_db()
    assert c.status == Status.REJECTED
    assert Entry.objects.filter(kind="contribution.rejected").count() == 1


def test_the_dispute_page_is_only_for_the_contributor(cast: Cast) -> None:
    c = _pending(cast)
    services.reject_contribution(cast.steward, c.pk, ReasonIn(reason="No link"))
    url = f"/contributions/{c.pk}/dispute/"

    other = client_for(cast.other).post(url, {"reason": "mine now"})
    steward = client_for(cast.steward).post(url, {"reason": "I dispute"})
    own = client_for(cast.member).post(url, {"reason": "The link is https://x.org"})

    assert other.status_code == 404
    assert steward.status_code == 404  # a reviewer sees it, but only its maker disputes
    assert own.status_code == 302
    c.refresh_from_db()
    assert c.status == Status.DISPUTED


def test_the_api_import_takes_the_same_input_and_refuses_a_bad_file_whole(cast: Cast) -> None:
    d = (TODAY - timedelta(days=2)).isoformat()
    header = "source_key,member,kind,title,date,hours,level\n"
    good = header + f"api-1,{cast.member.user.email},code,Fixed,{d},1.5,2\n"
    bad = good + f"api-2,{cast.other.user.email},code,Bad,{d},1,9\n"

    refused = client_for(cast.member).post(
        "/api/v1/contributions/import", {"csv": good}, content_type="application/json"
    )
    broken = client_for(cast.steward).post(
        "/api/v1/contributions/import", {"csv": bad}, content_type="application/json"
    )
    preview = client_for(cast.steward).post(
        "/api/v1/contributions/import",
        {"csv": good, "dry_run": True},
        content_type="application/json",
    )
    imported = client_for(cast.steward).post(
        "/api/v1/contributions/import", {"csv": good}, content_type="application/json"
    )

    assert refused.status_code == 403
    assert broken.status_code == 422
    assert "line 3" in broken.json()["detail"]
    assert preview.json()["committed"] is False
    assert imported.status_code == 200
    assert (imported.json()["committed"], imported.json()["new"]) == (True, 1)
    assert Contribution.objects.filter(source_key="api-1").count() == 1
    assert Contribution.objects.count() == 1


def test_the_import_page_is_not_found_for_anyone_but_stewards(cast: Cast) -> None:
    for who in (cast.member, cast.group_lead, cast.auditor):
        assert client_for(who).get("/contributions/import/").status_code == 404

    assert client_for(cast.steward).get("/contributions/import/").status_code == 200


def test_the_import_service_checks_permission_before_reading_the_file(cast: Cast) -> None:
    with pytest.raises(Forbidden):
        services.import_contributions(cast.member, ImportIn(csv="not,a,csv\n"))

    assert not Contribution.objects.exists()
