"""Who may do what with living documents. Views, API and CLI all ask these.

Anyone, signed in or not, reads documents, their revisions and what changed between them:
published guidelines are the community's transparency. Stewards create documents. A
document's owners (the leads of its group, or the stewards; stewards own every document)
revise a document that is not governed, and accept, decline or put to a decision the
changes members propose. Members (not partners' representatives) comment on revisions,
propose changes and read the proposals.
"""

from accord.governance.models import Document
from accord.governance.permissions import is_inside
from accord.people.models import Member
from accord.people.permissions import is_steward, leads_group


def can_create(actor: Member | None) -> bool:
    return is_inside(actor) and is_steward(actor)


def owns(actor: Member | None, document: Document) -> bool:
    """Stewards; and the leads (or co-leads) of the document's group."""
    if actor is None or not is_inside(actor):
        return False
    if is_steward(actor):
        return True
    return document.group is not None and leads_group(actor, document.group)


def can_take_part(actor: Member | None) -> bool:
    """Comment on a revision, propose a change, read the proposals: any member."""
    return is_inside(actor)
