"""A partnership's updates channel: stewards post for the community and the partner's own
representatives for the partner; members comment, named only where they may be seen, and
withdraw their comments; refusals change nothing and comments never reach the ledger."""

import json

import pytest

from accord.domain.errors import Forbidden, InvalidInput, NotFound
from accord.ledger.models import Entry
from accord.partners import queries, services
from accord.partners.models import Agreement, Update, UpdateComment
from accord.partners.schemas import AgreementIn, CommentIn, UpdateIn
from accord.people.models import Purpose
from accord.people.schemas import ErasureIn
from accord.people.services import erase_member
from tests.conftest import Cast, client_for
from tests.factories import grant, make_partner_rep


def _agreement(cast: Cast, *, other: bool = False) -> Agreement:
    partner = cast.other_partner if other else cast.partner
    return services.create_agreement(
        cast.steward,
        AgreementIn(partner=partner.slug, title="Placements", purpose="p", reasons=["networks"]),
    )


def test_a_steward_and_the_partners_representative_post_each_for_their_side(cast: Cast) -> None:
    agreement = _agreement(cast)
    ours = services.post_update(cast.steward, agreement.pk, UpdateIn(body=" Kick-off held. "))
    theirs = services.post_update(cast.partner_rep, agreement.pk, UpdateIn(body="Labs open."))

    assert (ours.side, ours.body) == ("community", "Kick-off held.")
    assert theirs.side == "partner"
    shown = queries.updates_of(None, agreement)
    assert [v.update.pk for v in shown] == [theirs.pk, ours.pk]  # newest first
    assert [v.author for v in shown] == [cast.partner_rep.pseudonym, cast.steward.pseudonym]
    assert all(v.comments is None for v in shown)  # signed-out readers see no comments


def test_the_ledger_keeps_a_hash_of_an_update_never_its_text(cast: Cast) -> None:
    agreement = _agreement(cast)
    services.post_update(cast.steward, agreement.pk, UpdateIn(body="A private-sounding note"))

    entry = Entry.objects.filter(kind="agreement.update").get()
    data = json.loads(bytes(entry.data))
    assert data["actor"] == cast.steward.pseudonym
    assert data["payload"]["side"] == "community"
    assert "body_sha256" in data["payload"]
    assert b"private-sounding" not in bytes(entry.data)


@pytest.mark.parametrize("who", ["member", "auditor", "treasurer", "group_lead"])
def test_only_stewards_and_the_partners_own_representatives_post(cast: Cast, who: str) -> None:
    agreement = _agreement(cast)
    before = Entry.objects.count()
    with pytest.raises(Forbidden):
        services.post_update(getattr(cast, who), agreement.pk, UpdateIn(body="x"))
    assert not Update.objects.exists()
    assert Entry.objects.count() == before


def test_a_representative_cannot_post_on_another_partners_agreement(cast: Cast) -> None:
    other = _agreement(cast, other=True)
    with pytest.raises(Forbidden):
        services.post_update(cast.partner_rep, other.pk, UpdateIn(body="x"))
    assert not Update.objects.exists()


def test_an_empty_update_or_comment_is_refused_with_a_reason(cast: Cast) -> None:
    agreement = _agreement(cast)
    with pytest.raises(InvalidInput, match="The update is empty"):
        services.post_update(cast.steward, agreement.pk, UpdateIn(body="   "))
    update = services.post_update(cast.steward, agreement.pk, UpdateIn(body="x"))
    with pytest.raises(InvalidInput, match="The comment is empty"):
        services.comment_on_update(cast.member, update.pk, CommentIn(body="\n"))
    with pytest.raises(NotFound):
        services.comment_on_update(cast.member, update.pk + 99, CommentIn(body="x"))
    with pytest.raises(NotFound):
        services.post_update(cast.steward, agreement.pk + 99, UpdateIn(body="x"))
    assert not UpdateComment.objects.exists()
    assert Update.objects.count() == 1


def test_a_commenter_is_named_only_to_readers_who_may_see_them(cast: Cast) -> None:
    agreement = _agreement(cast)
    update = services.post_update(cast.steward, agreement.pk, UpdateIn(body="x"))
    services.comment_on_update(cast.member, update.pk, CommentIn(body="Useful for us."))
    before = Entry.objects.count()
    services.comment_on_update(cast.other, update.pk, CommentIn(body="Agreed."))
    assert Entry.objects.count() == before  # comments stay out of the ledger

    def names(viewer: object) -> list[str]:
        (view,) = queries.updates_of(viewer, agreement)  # type: ignore[arg-type]
        return [c.author for c in view.comments or []]

    assert names(cast.partner_rep) == ["a member", "a member"]
    assert names(cast.other) == ["a member", cast.other.display_name]  # themself
    grant(cast.member, Purpose.MEMBER_DIRECTORY)
    assert names(cast.other) == [cast.member.display_name, cast.other.display_name]
    assert names(cast.partner_rep) == ["a member", "a member"]  # not shared with partners
    grant(cast.member, Purpose.SHARE_PROFILE_WITH_PARTNERS)
    assert names(cast.partner_rep) == [cast.member.display_name, "a member"]


def test_an_author_or_a_steward_withdraws_a_comment_and_nobody_else(cast: Cast) -> None:
    agreement = _agreement(cast)
    update = services.post_update(cast.steward, agreement.pk, UpdateIn(body="x"))
    mine = services.comment_on_update(cast.member, update.pk, CommentIn(body="mine"))
    for who in (cast.other, cast.partner_rep, cast.auditor):
        with pytest.raises(Forbidden):
            services.withdraw_comment(who, update.pk, mine.pk)
    with pytest.raises(NotFound):
        services.withdraw_comment(cast.member, update.pk + 1, mine.pk)  # another update's
    assert UpdateComment.objects.filter(pk=mine.pk).exists()

    services.withdraw_comment(cast.member, update.pk, mine.pk)
    assert not UpdateComment.objects.exists()
    theirs = services.comment_on_update(cast.other, update.pk, CommentIn(body="off-topic"))
    services.withdraw_comment(cast.steward, update.pk, theirs.pk)
    assert not UpdateComment.objects.exists()


def test_erasing_a_member_removes_their_comments(cast: Cast) -> None:
    agreement = _agreement(cast)
    update = services.post_update(cast.steward, agreement.pk, UpdateIn(body="x"))
    services.comment_on_update(cast.member, update.pk, CommentIn(body="I, Mo, work at ..."))
    services.comment_on_update(cast.other, update.pk, CommentIn(body="stays"))

    erase_member(cast.member, cast.member.pseudonym, ErasureIn(reason=""))

    assert list(UpdateComment.objects.values_list("body", flat=True)) == ["stays"]


def test_the_api_posts_lists_and_refuses_with_reasons(cast: Cast) -> None:
    agreement = _agreement(cast)
    rep, member = client_for(cast.partner_rep), client_for(cast.member)
    url = f"/api/v1/agreements/{agreement.pk}/updates"

    posted = rep.post(url, {"body": "Labs open."}, content_type="application/json")
    assert posted.status_code == 201, posted.content
    assert posted.json()["side"] == "partner"
    refused = member.post(url, {"body": "x"}, content_type="application/json")
    assert refused.status_code == 403
    assert "representatives" in refused.json()["detail"]
    too_long = rep.post(url, {"body": "x" * 5001}, content_type="application/json")
    assert too_long.status_code == 422

    update = posted.json()["id"]
    said = member.post(
        f"/api/v1/updates/{update}/comments", {"body": "Thanks"}, content_type="application/json"
    )
    assert said.status_code == 201
    assert said.json()["mine"] is True
    listed = member.get(url).json()
    assert [c["body"] for c in listed[0]["comments"]] == ["Thanks"]
    gone = member.delete(f"/api/v1/updates/{update}/comments/{said.json()['id']}")
    assert gone.status_code == 204
    assert member.get(url).json()[0]["comments"] == []


def test_a_second_representative_of_another_partner_sees_comments_anonymised(cast: Cast) -> None:
    other_rep = make_partner_rep(cast.other_partner)
    agreement = _agreement(cast)
    update = services.post_update(cast.steward, agreement.pk, UpdateIn(body="x"))
    services.comment_on_update(cast.member, update.pk, CommentIn(body="hello"))
    (view,) = queries.updates_of(other_rep, agreement)
    assert [c.author for c in view.comments or []] == ["a member"]
