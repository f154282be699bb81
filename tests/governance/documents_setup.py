"""Living documents for the tests: built through the services, as a community would."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from accord.governance import services
from accord.governance.models import Decision, Document, ProposedChange
from accord.governance.schemas import ChangeDecisionIn, ChangeIn, DocumentIn, VoteIn
from accord.people.models import Member
from tests.conftest import Cast

FIRST = "Partner money goes to the community fund.\n\nThe treasurer reports each quarter."
CHANGED = "Partner money goes to the community fund.\n\nThe treasurer reports every month."


def document(cast: Cast, *, governed: bool = True, group: bool = False, **fields: Any) -> Document:
    data = {
        "title": "Funding guideline",
        "kind": "funding",
        "governed": governed,
        "group": cast.group.slug if group else None,
        "body": FIRST,
        **fields,
    }
    return services.create_document(cast.steward, DocumentIn.model_validate(data))


def proposal(
    cast: Cast, doc: Document, *, by: Member | None = None, body: str = CHANGED
) -> ProposedChange:
    return services.propose_change(
        by or cast.member, doc.slug, ChangeIn(body=body, summary="Report monthly.")
    )


def put_to_decision(cast: Cast, change: ProposedChange, *, by: Member | None = None) -> Decision:
    services.put_change_to_decision(
        by or cast.steward,
        change.document.slug,
        change.pk,
        ChangeDecisionIn(closes_at=timezone.now() + timedelta(days=7)),
    )
    change.refresh_from_db()
    assert change.decision is not None
    return change.decision


def decided(cast: Cast, decision: Decision, *, stance: str = "agree") -> Decision:
    """Open the decision, have the member vote `stance`, and close it after its time."""
    services.open_decision(cast.steward, decision.pk)
    services.cast_vote(cast.member, decision.pk, VoteIn.model_validate({"stance": stance}))
    Decision.objects.filter(pk=decision.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    return services.close_decision(cast.steward, decision.pk)
