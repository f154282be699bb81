"""Contributions: logging, review by someone else, disputes, policies and the CSV import."""

import json
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accord.contributions import queries, services
from accord.contributions.models import Contribution, PolicyVersion, Status
from accord.contributions.schemas import ImportIn, PolicyIn, ReasonIn, VerifyIn
from accord.demo import policies
from accord.domain.disclosure import Hidden
from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.ledger.models import Entry, Opening
from accord.people import services as people
from accord.people.models import GroupRole
from tests.conftest import Cast, client_for
from tests.factories import (
    add_to_group,
    contribution_in,
    make_group,
    make_member,
    make_policy,
    publish,
)

TODAY = timezone.localdate()
TOMORROW = TODAY + timedelta(days=1)


def log(member, **overrides) -> Contribution:  # type: ignore[no-untyped-def]
    data = {
        "kind": "mentoring",
        "title": "Mentored two newcomers",
        "date": TODAY,
        "level": 3,
        "hours_h100": 350,
        **overrides,
    }
    return services.record_contribution(member, contribution_in(**data))


def test_a_member_logs_a_contribution_that_waits_for_review(cast: Cast) -> None:
    c = log(cast.member)

    assert c.status == Status.PENDING
    assert c.hours == "3.50"
    assert Entry.objects.filter(kind="contribution.recorded").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kind", "bribery", "kind"),
        ("title", "  ", "title"),
        ("level", 9, "level"),
        ("date", TODAY + timedelta(days=3), "future"),
        ("evidence_url", "ftp://x", "evidence"),
    ],
)
def test_bad_contributions_are_refused_with_the_reason(
    cast: Cast, field: str, value: object, message: str
) -> None:
    with pytest.raises(InvalidInput, match=f"(?i){message}"):
        log(cast.member, **{field: value})

    assert not Contribution.objects.exists()


def test_hours_are_parsed_exactly() -> None:
    assert services.parse_hours("3.5") == 350
    assert services.parse_hours("0.01") == 1
    for bad in ("-1", "1.005", "lots", "1001"):
        with pytest.raises(InvalidInput):
            services.parse_hours(bad)


def test_nobody_reviews_their_own_contribution(cast: Cast) -> None:
    mine = log(cast.steward)

    with pytest.raises(Forbidden):
        services.verify_contribution(cast.steward, mine.pk, VerifyIn(impact=5))
    # another member cannot even see it: to them it does not exist (ids reveal nothing)
    with pytest.raises(NotFound):
        services.verify_contribution(cast.other, log(cast.member).pk, VerifyIn(impact=5))


def test_a_group_lead_reviews_their_groups_contributions(cast: Cast) -> None:
    add_to_group(cast.other, make_group(name="Elsewhere"), GroupRole.LEAD)
    cast.group.memberships.filter(member=cast.other).update(role=GroupRole.LEAD)
    c = log(cast.member, group=cast.group)
    elsewhere = log(cast.member)

    services.verify_contribution(cast.other, c.pk, VerifyIn(impact=4))

    c.refresh_from_db()
    assert (c.status, c.impact, c.reviewer) == (Status.VERIFIED, 4, cast.other)
    with pytest.raises(NotFound):  # not their group's: not theirs to see
        services.verify_contribution(cast.other, elsewhere.pk, VerifyIn(impact=4))
    entry = Entry.objects.filter(kind="contribution.verified").last()
    assert entry.actor == cast.other.pseudonym  # the lead acts in office: named
    assert entry.subject.startswith("b-")  # the contributor: never
    opening = Opening.objects.get(seq=entry.seq)
    assert opening.owner == cast.member.pk
    assert json.loads(opening.value)["impact"] == 4
    assert cast.member.pseudonym.encode() not in bytes(entry.data)


def test_reject_then_dispute_then_verify(cast: Cast) -> None:
    c = log(cast.member)

    with pytest.raises(InvalidInput):
        services.reject_contribution(cast.steward, c.pk, ReasonIn(reason="  "))
    services.reject_contribution(cast.steward, c.pk, ReasonIn(reason="No evidence link."))
    with pytest.raises(Conflict):
        services.verify_contribution(cast.steward, c.pk, VerifyIn(impact=3))
    with pytest.raises(Exception, match="No such"):
        services.dispute_rejection(cast.other, c.pk, ReasonIn(reason="not mine"))
    services.dispute_rejection(
        cast.member, c.pk, ReasonIn(reason="Here is the link: https://x.org")
    )
    services.verify_contribution(cast.steward, c.pk, VerifyIn(impact=3))

    c.refresh_from_db()
    assert c.status == Status.VERIFIED
    kinds = list(Entry.objects.values_list("kind", flat=True))
    assert kinds[-3:] == [
        "contribution.rejected",
        "contribution.disputed",
        "contribution.verified",
    ]


def test_publishing_a_policy_needs_a_steward_a_reason_and_a_valid_document(cast: Cast) -> None:
    doc = policies.version(1)

    with pytest.raises(Forbidden):
        services.publish_policy(
            cast.member, PolicyIn(document=doc, effective_from=TODAY, reason="mine")
        )
    with pytest.raises(InvalidInput, match="reason"):
        services.publish_policy(
            cast.steward, PolicyIn(document=doc, effective_from=TODAY, reason=" ")
        )
    broken = {**doc, "level_multipliers": {"1": "1"}, "points_per_hour": "1.234"}
    with pytest.raises(InvalidInput, match="level_multipliers") as err:
        services.publish_policy(
            cast.steward, PolicyIn(document=broken, effective_from=TODAY, reason="x")
        )
    assert "points_per_hour" in str(err.value)
    v1 = publish(cast.steward, PolicyIn(document=doc, effective_from=TODAY, reason="first"))
    v2 = publish(
        cast.steward,
        PolicyIn(document=policies.version(2), effective_from=TOMORROW, reason="second"),
    )

    assert (v1.version, v2.version) == (1, 2)
    assert PolicyVersion.objects.count() == 2
    published = json.loads(bytes(Entry.objects.filter(kind="policy.published").last().data))
    assert published["payload"]["sha256"] == v2.digest
    assert published["payload"]["document"] == v2.document  # anyone can re-score from it
    assert "reason" not in published["payload"]  # free text stays in the erasable notes


def _publish(cast: Cast, effective_from: date, n: int = 1) -> PolicyVersion:
    return publish(
        cast.steward,
        PolicyIn(document=policies.version(n), effective_from=effective_from, reason=f"v{n}"),
    )


def _refused_publish(cast: Cast, effective_from: date, n: int = 1) -> PolicyVersion:
    """Publishing as a steward would, refused before any decision is looked at."""
    return services.publish_policy(
        cast.steward,
        PolicyIn(document=policies.version(n), effective_from=effective_from, reason=f"v{n}"),
    )


def test_a_policy_cannot_act_on_the_past(cast: Cast) -> None:
    before = Entry.objects.count()

    with pytest.raises(InvalidInput, match=rf"cannot act on the past: .* today \({TODAY}\)"):
        _refused_publish(cast, TODAY - timedelta(days=1))

    assert not PolicyVersion.objects.exists()
    assert Entry.objects.count() == before
    assert _publish(cast, TODAY).version == 1  # today is not the past


@pytest.mark.parametrize("days", [10, 9, 0])
def test_each_version_takes_effect_strictly_after_the_latest(cast: Cast, days: int) -> None:
    latest = _publish(cast, TODAY + timedelta(days=10))
    before = Entry.objects.count()

    with pytest.raises(InvalidInput, match=f"Version 1 takes effect on {latest.effective_from}"):
        _refused_publish(cast, TODAY + timedelta(days=days), n=2)

    assert PolicyVersion.objects.get() == latest
    assert Entry.objects.count() == before
    assert _publish(cast, TODAY + timedelta(days=11), n=2).version == 2


def test_only_seeded_history_takes_effect_in_the_past_and_still_in_order(cast: Cast) -> None:
    first = make_policy(cast.steward, effective_from=TODAY - timedelta(days=400))
    with pytest.raises(InvalidInput, match="must take effect after"):
        make_policy(cast.steward, effective_from=TODAY - timedelta(days=500))
    with pytest.raises(Forbidden):
        make_policy(cast.member, effective_from=TODAY - timedelta(days=300))
    with pytest.raises(InvalidInput, match="cannot act on the past"):
        _publish(cast, TODAY - timedelta(days=300), n=2)

    assert list(PolicyVersion.objects.all()) == [first]
    assert Entry.objects.filter(kind="policy.published").count() == 1  # recorded like any


def test_criteria_page_explains_the_policy_and_hides_what_changes_for_few(cast: Cast) -> None:
    for k in range(3):
        c = log(cast.member, kind="mentoring", date=TODAY - timedelta(days=10 + k))
        services.verify_contribution(cast.steward, c.pk, VerifyIn(impact=3))
    c = log(cast.other, kind="code", date=TODAY - timedelta(days=5))
    services.verify_contribution(cast.steward, c.pk, VerifyIn(impact=3))
    publish(
        cast.steward, PolicyIn(document=policies.version(1), effective_from=TODAY, reason="first")
    )
    publish(
        cast.steward,
        PolicyIn(
            document=policies.version(2), effective_from=TOMORROW, reason="care work counts more"
        ),
    )

    page = client_for(None).get("/criteria/").content.decode()
    change = queries.what_changes(*PolicyVersion.objects.order_by("-version")[:2])
    data = client_for(None).get("/criteria.json").json()

    assert "Mentoring: 14 points" in page
    assert change is not None
    assert change.too_few  # 2 members: no count and no "biggest gain" is published
    assert {change.members, change.gain, change.lose, change.same} == {Hidden(small=True)}
    assert change.biggest_gain_cp is change.mean_change_cp is None
    assert "Fewer than 10 members had contributions verified" in page
    assert "of 2 members" not in page
    assert data["version"] == 2


def test_criteria_page_says_what_changes_for_whom_when_groups_are_large_enough(
    cast: Cast,
) -> None:
    # 12 mentors gain 4 points each, 3 coders lose 2, 11 writers see no change
    for kind, n in (("mentoring", 12), ("code", 3), ("content", 11)):
        for _ in range(n):
            c = log(make_member(), kind=kind, date=TODAY - timedelta(days=5))
            services.verify_contribution(cast.steward, c.pk, VerifyIn(impact=3))
    publish(
        cast.steward, PolicyIn(document=policies.version(1), effective_from=TODAY, reason="first")
    )
    second = policies.version(2)
    second["base_points"] = {**second["base_points"], "code": "8"}
    publish(cast.steward, PolicyIn(document=second, effective_from=TOMORROW, reason="care work"))

    page = client_for(None).get("/criteria/").content.decode()
    change = queries.what_changes(*PolicyVersion.objects.order_by("-version")[:2])

    assert change is not None
    assert (change.members, change.gain) == (26, 12)
    assert change.lose == Hidden(small=True)  # 3 people
    assert change.same == Hidden(small=False)  # else 26 - 12 - 11 gives the 3 back
    assert change.biggest_gain_cp == 400  # 1 contribution x (14-10) points x 1 x 1
    assert change.biggest_loss_cp is None  # about 3 people
    assert change.mean_change_cp == round((12 * 400 - 3 * 200) / 26)
    assert "for the 26 members who made them" in page
    assert "Members who gain points: 12 (the most: +4.00 points)" in page
    assert "Members who lose points: fewer than 10</li>" in page
    assert "Members who see no change: not shown" in page
    assert "-2.00" not in page


def test_what_a_version_changes_is_computed_once_until_more_work_is_verified(
    cast: Cast,
) -> None:
    for _ in range(12):
        c = log(make_member(), kind="mentoring", date=TODAY - timedelta(days=5))
        services.verify_contribution(cast.steward, c.pk, VerifyIn(impact=3))
    publish(
        cast.steward, PolicyIn(document=policies.version(1), effective_from=TODAY, reason="first")
    )
    publish(
        cast.steward,
        PolicyIn(document=policies.version(2), effective_from=TOMORROW, reason="care work"),
    )
    versions = PolicyVersion.objects.order_by("-version")[:2]
    first = queries.what_changes(*versions)

    with CaptureQueriesContext(connection) as asked:
        again = queries.what_changes(*versions)
    c = log(make_member(), kind="mentoring", date=TODAY - timedelta(days=5))
    services.verify_contribution(cast.steward, c.pk, VerifyIn(impact=3))
    after = queries.what_changes(*versions)

    assert first is not None
    assert again == first
    assert not [q for q in asked.captured_queries if "contributions_contribution" in q["sql"]]
    assert first.members == 12
    assert after is not None
    assert after.members == 13


CSV_HEADER = "source_key,member,kind,title,date,hours,level,group,impact\n"


def test_a_csv_with_one_bad_row_imports_nothing_and_names_the_row(cast: Cast) -> None:
    d = (TODAY - timedelta(days=3)).isoformat()
    text = CSV_HEADER + (
        f"k1,{cast.member.user.email},mentoring,Ok row,{d},2,3,,\n"
        f"k2,{cast.other.pseudonym},code,Also ok,{d},1.5,2,{cast.group.slug},4\n"
        f"k3,nobody@example.org,code,Bad row,{d},abc,7,,\n"
    )

    result = services.import_contributions(cast.steward, ImportIn(csv=text, dry_run=False))

    assert not result.committed
    assert Contribution.objects.count() == 0
    [bad] = result.errors
    assert bad.line == 4
    assert "no member with the verified e-mail or handle 'nobody@example.org'" in bad.errors
    assert any("level" in e for e in bad.errors)
    assert any("hours" in e.lower() for e in bad.errors)


def test_import_dry_run_then_commit_and_duplicates_are_never_counted_twice(cast: Cast) -> None:
    d = (TODAY - timedelta(days=3)).isoformat()
    text = CSV_HEADER + (
        f"k1,{cast.member.user.email},mentoring,One,{d},2,3,,\n"
        f"k2,{cast.other.user.email},code,Two,{d},1,2,{cast.group.slug},4\n"
        f"k2,{cast.other.user.email},code,Two again,{d},1,2,,4\n"
    )

    preview = services.import_contributions(cast.steward, ImportIn(csv=text, dry_run=True))
    assert (preview.new, preview.duplicates, preview.committed) == (2, 1, False)
    assert Contribution.objects.count() == 0

    first = services.import_contributions(cast.steward, ImportIn(csv=text, dry_run=False))
    again = services.import_contributions(cast.steward, ImportIn(csv=text, dry_run=False))

    assert first.committed
    assert (again.new, again.duplicates) == (0, 3)
    assert Contribution.objects.count() == 2
    verified = Contribution.objects.get(source_key="k2")
    assert (verified.status, verified.impact, verified.reviewer) == (
        Status.VERIFIED,
        4,
        cast.steward,
    )
    assert Entry.objects.filter(kind="contribution.verified").count() == 1


def test_import_refuses_missing_columns_and_non_stewards(cast: Cast) -> None:
    with pytest.raises(InvalidInput, match="no column"):
        services.import_contributions(
            cast.steward, ImportIn(csv="source_key,member\nx,y\n", dry_run=True)
        )
    with pytest.raises(Forbidden):
        services.import_contributions(cast.member, ImportIn(csv=CSV_HEADER, dry_run=True))


def test_contribution_pages_and_api(cast: Cast) -> None:
    member = client_for(cast.member)

    bad = member.post(
        "/contributions/",
        {"kind": "code", "title": "", "date": "2020-01-01", "hours": "1", "level": "2"},
    )
    ok = member.post(
        "/api/v1/contributions",
        {
            "kind": "code",
            "title": "Fixed the site",
            "date": (TODAY - timedelta(days=1)).isoformat(),
            "level": 2,
            "hours": "1.25",
        },
        content_type="application/json",
    )
    cid = ok.json()["id"]
    others = client_for(cast.other).get(f"/api/v1/contributions/{cid}")
    verified = client_for(cast.steward).post(
        f"/api/v1/contributions/{cid}/verify", {"impact": 3}, content_type="application/json"
    )
    own = member.post(
        f"/api/v1/contributions/{cid}/verify", {"impact": 5}, content_type="application/json"
    )

    assert bad.status_code == 422
    assert ok.status_code == 201
    assert ok.json()["hours"] == "1.25"
    assert others.status_code == 404
    assert verified.json()["status"] == "verified"
    assert own.status_code == 403


def test_the_review_queue_lists_waiting_and_disputed_work_oldest_first(cast: Cast) -> None:
    days = [9, 3, 7, 1, 5]
    made = [log(cast.member, date=TODAY - timedelta(days=d)) for d in days]
    for c in (made[0], made[3]):  # rejected, then disputed: waiting again
        services.reject_contribution(cast.steward, c.pk, ReasonIn(reason="No link."))
        services.dispute_rejection(cast.member, c.pk, ReasonIn(reason="It is there."))
    services.verify_contribution(cast.steward, made[4].pk, VerifyIn(impact=2))
    log(cast.steward, date=TODAY - timedelta(days=20))  # the reviewer's own: never listed

    queue = queries.review_queue(cast.steward, limit=10)
    first_two = queries.review_queue(cast.steward, limit=2)
    page = client_for(cast.steward).get("/contributions/review/").content.decode()
    api = client_for(cast.steward).get("/api/v1/contributions/review-queue?limit=3").json()
    too_many = client_for(cast.steward).get("/api/v1/contributions/review-queue?limit=501")

    assert [c["id"] for c in api] == [made[0].pk, made[2].pk, made[1].pk]
    assert too_many.status_code == 422
    assert [c.pk for c in queue] == [made[0].pk, made[2].pk, made[1].pk, made[3].pk]
    assert {c.status for c in queue} == {Status.PENDING, Status.DISPUTED}
    assert [c.pk for c in first_two] == [made[0].pk, made[2].pk]
    assert page.index(f"/contributions/{made[0].pk}/") < page.index(
        f"/contributions/{made[1].pk}/"
    )
    assert "The oldest 4 waiting" in page


def test_an_empty_review_queue_says_nothing_waits_and_counts_nothing(cast: Cast) -> None:
    page = client_for(cast.steward).get("/contributions/review/").content.decode()

    assert "Nothing is waiting for you." in page
    assert "The oldest 0" not in page


def test_every_page_size_of_the_review_queue_is_the_start_of_the_whole_queue(
    cast: Cast,
) -> None:
    days = [4, 2, 2, 6, 1, 4, 3, 2, 5, 1]  # ties on a date are ordered by id
    made = [log(cast.member, date=TODAY - timedelta(days=d)) for d in days]
    for c in made[1::3]:  # some rejected and disputed, among and around the pending ones
        services.reject_contribution(cast.steward, c.pk, ReasonIn(reason="No link."))
        services.dispute_rejection(cast.member, c.pk, ReasonIn(reason="It is there."))
    whole = sorted(made, key=lambda c: (c.date, c.pk))

    assert queries.review_queue(cast.steward, limit=0) == []
    for limit in range(1, len(made) + 2):
        page = queries.review_queue(cast.steward, limit=limit)
        assert [c.pk for c in page] == [c.pk for c in whole[:limit]], limit


def test_kept_review_rows_follow_who_the_reviewer_may_name(cast: Cast) -> None:
    made = log(cast.member, group=cast.group, title="Ran the spring workshop")
    lead = client_for(cast.group_lead)
    named = lead.get("/contributions/review/").content.decode()
    people.leave_group(cast.member, cast.group.slug)  # no longer one the lead's office covers
    unnamed = lead.get("/contributions/review/").content.decode()
    api = lead.get("/api/v1/contributions/review-queue").json()

    assert f"/contributions/{made.pk}/" in named
    assert "Mo Member</td>" in named
    assert "Mo Member</td>" not in unnamed
    assert ">a member</td>" in unnamed
    assert [(c["id"], c["member"], c["group"]) for c in api] == [(made.pk, None, cast.group.slug)]
