"""Living documents through their services: who may create, revise, comment, propose and
settle; a governed document changes only through a passed decision; the ledger keeps ids,
numbers and hashes, never the text."""

import hashlib
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.governance import services
from accord.governance.models import (
    ChangeStatus,
    Decision,
    ProposedChange,
    Revision,
    RevisionComment,
)
from accord.governance.models import Status as DecisionStatus
from accord.governance.schemas import (
    ChangeDecisionIn,
    DeclineIn,
    DocumentIn,
    RevisionCommentIn,
    RevisionIn,
)
from accord.ledger.models import Entry
from tests.conftest import Cast
from tests.governance.documents_setup import (
    CHANGED,
    FIRST,
    decided,
    document,
    proposal,
    put_to_decision,
)


def _state() -> object:
    return (
        list(Revision.objects.order_by("pk").values()),
        list(ProposedChange.objects.order_by("pk").values()),
        list(RevisionComment.objects.order_by("pk").values()),
        Entry.objects.count(),
    )


def _refused(error: type[Exception], action) -> Exception:  # type: ignore[no-untyped-def]
    before = _state()
    with pytest.raises(error) as refused:
        action()
    assert _state() == before, "a refused action changed something"
    return refused.value


def test_a_steward_creates_a_document_with_its_first_revision(cast: Cast) -> None:
    doc = document(cast)

    first = doc.revisions.get()
    assert (doc.slug, doc.governed, first.number, first.body) == (
        "funding-guideline",
        True,
        1,
        FIRST,
    )
    entries = list(Entry.objects.filter(subject=f"document:{doc.pk}").order_by("seq"))
    assert [e.kind for e in entries] == ["document.created", "document.revised"]
    assert entries[0].actor == cast.steward.pseudonym
    assert json.loads(bytes(entries[1].data))["payload"] == {
        "revision": 1,
        "decision": None,
        "body_sha256": hashlib.sha256(FIRST.encode()).hexdigest(),
    }


def test_the_ledger_never_holds_a_documents_words(cast: Cast) -> None:
    doc = document(cast, governed=False)
    services.revise_document(cast.steward, doc.slug, RevisionIn(body=CHANGED, summary="Monthly."))
    proposal(cast, doc, body=CHANGED + "\n\nSecret plans.")

    dumped = "".join(bytes(e.data).decode() for e in Entry.objects.all())
    for words in ("Partner money", "monthly", "Monthly", "Funding guideline", "Secret plans"):
        assert words not in dumped


def test_slugs_stay_unique(cast: Cast) -> None:
    assert document(cast).slug != document(cast).slug


@pytest.mark.parametrize("role", ["member", "group_lead", "treasurer", "auditor", "partner_rep"])
def test_only_stewards_create_documents(cast: Cast, role: str) -> None:
    data = DocumentIn(title="Plan", kind="plan", body="Text.")  # type: ignore[arg-type]

    _refused(Forbidden, lambda: services.create_document(getattr(cast, role), data))


def test_blank_text_is_refused_with_its_reason(cast: Cast) -> None:
    data = DocumentIn(title="Plan", kind="plan", body="   ")  # type: ignore[arg-type]

    error = _refused(InvalidInput, lambda: services.create_document(cast.steward, data))

    assert "text is empty" in str(error)


def test_owners_revise_a_document_that_is_not_governed(cast: Cast) -> None:
    doc = document(cast, governed=False, group=True)

    made = services.revise_document(
        cast.group_lead, doc.slug, RevisionIn(body=CHANGED, summary="M")
    )

    assert (made.number, made.author, made.decision) == (2, cast.group_lead, None)
    _refused(
        Forbidden,
        lambda: services.revise_document(cast.member, doc.slug, RevisionIn(body="x", summary="y")),
    )
    _refused(
        Conflict,
        lambda: services.revise_document(
            cast.steward, doc.slug, RevisionIn(body=CHANGED, summary="s")
        ),
    )


def test_a_governed_document_refuses_every_direct_change(cast: Cast) -> None:
    doc = document(cast, governed=True)
    change = proposal(cast, doc)

    revising = _refused(
        Conflict,
        lambda: services.revise_document(
            cast.steward, doc.slug, RevisionIn(body=CHANGED, summary="s")
        ),
    )
    accepting = _refused(
        Conflict, lambda: services.accept_change(cast.steward, doc.slug, change.pk)
    )
    adopting = _refused(Conflict, lambda: services.adopt_change(cast.steward, doc.slug, change.pk))

    assert "only through a passed decision" in str(revising)
    assert "only through a passed decision" in str(accepting)
    assert "put to a decision that passed" in str(adopting)
    assert doc.revisions.count() == 1


def test_a_governed_change_is_adopted_after_its_decision_passes(cast: Cast) -> None:
    doc = document(cast)
    change = proposal(cast, doc)
    decision = put_to_decision(cast, change)

    assert decision.status == DecisionStatus.DRAFT
    assert decision.poll == "consent"
    assert decision.group is None
    assert f"/documents/{doc.slug}/proposals/{change.pk}/" in decision.body
    not_yet = _refused(Conflict, lambda: services.adopt_change(cast.steward, doc.slug, change.pk))
    assert "has not closed yet" in str(not_yet)
    decided(cast, decision)
    _refused(Forbidden, lambda: services.adopt_change(cast.member, doc.slug, change.pk))

    made = services.adopt_change(cast.steward, doc.slug, change.pk)

    change.refresh_from_db()
    assert (made.number, made.body, made.decision, made.author) == (
        2,
        CHANGED,
        decision,
        cast.member,
    )
    assert (change.status, change.revision) == (ChangeStatus.ADOPTED, made)
    kinds = [e.kind for e in Entry.objects.filter(subject=f"proposal:{change.pk}").order_by("seq")]
    assert kinds == ["proposal.opened", "proposal.put_to_decision", "proposal.adopted"]
    revised = Entry.objects.filter(kind="document.revised").order_by("-seq").first()
    assert revised is not None
    assert json.loads(bytes(revised.data))["payload"]["decision"] == decision.pk
    _refused(Conflict, lambda: services.adopt_change(cast.steward, doc.slug, change.pk))


def test_a_change_whose_decision_failed_is_not_adopted_and_may_be_declined(cast: Cast) -> None:
    doc = document(cast)
    change = proposal(cast, doc)
    decision = put_to_decision(cast, change)
    decided(cast, decision, stance="block")

    failed = _refused(Conflict, lambda: services.adopt_change(cast.steward, doc.slug, change.pk))
    services.decline_change(cast.steward, doc.slug, change.pk, DeclineIn(reason="Blocked."))

    assert "did not pass" in str(failed)
    change.refresh_from_db()
    assert (change.status, change.reason) == (ChangeStatus.DECLINED, "Blocked.")
    assert doc.revisions.count() == 1


def test_a_change_before_an_open_decision_is_not_declined(cast: Cast) -> None:
    doc = document(cast)
    change = proposal(cast, doc)
    put_to_decision(cast, change)

    _refused(
        Conflict,
        lambda: services.decline_change(cast.steward, doc.slug, change.pk, DeclineIn(reason="No")),
    )


def test_owners_accept_or_decline_changes_to_a_document_that_is_not_governed(cast: Cast) -> None:
    doc = document(cast, governed=False)
    taken, refused = proposal(cast, doc), proposal(cast, doc, by=cast.other, body="Other text.")

    _refused(Forbidden, lambda: services.accept_change(cast.other, doc.slug, taken.pk))
    made = services.accept_change(cast.steward, doc.slug, taken.pk)
    services.decline_change(cast.steward, doc.slug, refused.pk, DeclineIn(reason="Too short."))

    assert (made.number, made.author, made.body) == (2, cast.member, CHANGED)
    assert ProposedChange.objects.get(pk=refused.pk).status == ChangeStatus.DECLINED
    _refused(
        Conflict,
        lambda: services.decline_change(cast.steward, doc.slug, taken.pk, DeclineIn(reason="x")),
    )


def test_a_change_written_on_an_older_revision_is_refused_until_proposed_again(cast: Cast) -> None:
    doc = document(cast, governed=False)
    old = proposal(cast, doc, body="One text.")
    services.accept_change(cast.steward, doc.slug, proposal(cast, doc, by=cast.other).pk)

    stale = _refused(Conflict, lambda: services.accept_change(cast.steward, doc.slug, old.pk))

    assert "written on revision 1; the document is now at revision 2" in str(stale)
    again = proposal(cast, doc, body="One text.")
    assert services.accept_change(cast.steward, doc.slug, again.pk).number == 3


def test_a_stale_governed_change_is_not_put_to_a_decision(cast: Cast) -> None:
    doc = document(cast)
    first, second = proposal(cast, doc), proposal(cast, doc, by=cast.other, body="Other.")
    decided(cast, put_to_decision(cast, first))
    services.adopt_change(cast.steward, doc.slug, first.pk)

    _refused(
        Conflict,
        lambda: services.put_change_to_decision(
            cast.steward,
            doc.slug,
            second.pk,
            ChangeDecisionIn(closes_at=timezone.now() + timedelta(days=3)),
        ),
    )
    assert Decision.objects.count() == 1


def test_a_groups_leads_put_its_changes_to_the_body_the_decision_rights_name(
    cast: Cast,
) -> None:
    doc = document(cast, group=True)
    change = proposal(cast, doc)

    other = proposal(cast, doc, body="x")

    decision = put_to_decision(cast, change, by=cast.group_lead)

    # by default the whole community decides a governed document's changes
    assert (decision.group, decision.action) == (None, "document.change")
    assert decision.target == f"document:{doc.pk}:change:{change.pk}"
    _refused(
        Forbidden,
        lambda: services.put_change_to_decision(
            cast.member,
            doc.slug,
            other.pk,
            ChangeDecisionIn(closes_at=timezone.now() + timedelta(days=3)),
        ),
    )


def test_a_past_closing_time_is_refused_and_nothing_is_linked(cast: Cast) -> None:
    doc = document(cast)
    change = proposal(cast, doc)

    with pytest.raises(InvalidInput):
        services.put_change_to_decision(
            cast.steward,
            doc.slug,
            change.pk,
            ChangeDecisionIn(closes_at=timezone.now() - timedelta(days=1)),
        )

    change.refresh_from_db()
    assert (change.status, change.decision, Decision.objects.count()) == ("open", None, 0)


def test_members_propose_and_comment_and_outsiders_do_not(cast: Cast) -> None:
    doc = document(cast)
    comment = RevisionCommentIn(body="Clear.")

    services.comment_on_revision(cast.member, doc.slug, 1, comment)
    change = proposal(cast, doc, by=cast.auditor)

    assert RevisionComment.objects.get().author == cast.member
    assert change.status == ChangeStatus.OPEN
    assert change.base.number == 1
    _refused(
        Forbidden, lambda: services.comment_on_revision(cast.partner_rep, doc.slug, 1, comment)
    )
    _refused(Forbidden, lambda: proposal(cast, doc, by=cast.partner_rep))
    _refused(NotFound, lambda: services.comment_on_revision(cast.member, doc.slug, 9, comment))
    _refused(Conflict, lambda: proposal(cast, doc, body=FIRST))
    opened = Entry.objects.get(kind="proposal.opened", subject=f"proposal:{change.pk}")
    assert opened.actor == "member"


def test_an_unknown_document_is_not_found(cast: Cast) -> None:
    _refused(
        NotFound,
        lambda: services.revise_document(cast.steward, "nope", RevisionIn(body="b", summary="s")),
    )


def test_a_text_sent_with_a_browsers_line_endings_is_not_a_change(cast: Cast) -> None:
    doc = document(cast, governed=False)

    _refused(
        Conflict,
        lambda: services.revise_document(
            cast.steward, doc.slug, RevisionIn(body=FIRST.replace("\n", "\r\n"), summary="s")
        ),
    )
