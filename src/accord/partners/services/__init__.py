"""Every write about partners, their agreements and offerings: one function per action.

The actions live in one module per subject; every app imports them from here.
"""

from accord.partners.services.agreements import (
    change_agreement_status,
    create_agreement,
    score_agreement,
    set_agreement_maturity,
)
from accord.partners.services.body import (
    amend_agreement,
    attach_document,
    schedule_review,
    set_role,
)
from accord.partners.services.contacts import (
    add_partner_contact,
    edit_partner_contact,
    remove_partner_contact,
)
from accord.partners.services.funding import fund_pool_from_partnership
from accord.partners.services.goals import (
    add_commitment,
    add_goal,
    record_fulfilment,
    record_reading,
)
from accord.partners.services.offerings import (
    claim_offering,
    close_offering,
    create_offering,
    review_offering,
    withdraw_claim,
    withdraw_review,
)
from accord.partners.services.partners import (
    RESERVED_SLUGS,
    SLUG_LENGTH,
    appoint_representative,
    create_partner,
    edit_partner,
    remove_representative,
)
from accord.partners.services.reciprocity import record_value
from accord.partners.services.registers import (
    RISK_FIELDS,
    STEWARDS_ONLY,
    add_risk,
    close_disclosure,
    disclose_interest,
    update_risk,
)
from accord.partners.services.updates import comment_on_update, post_update, withdraw_comment

__all__ = [
    "RESERVED_SLUGS",
    "RISK_FIELDS",
    "SLUG_LENGTH",
    "STEWARDS_ONLY",
    "add_commitment",
    "add_goal",
    "add_partner_contact",
    "add_risk",
    "amend_agreement",
    "appoint_representative",
    "attach_document",
    "change_agreement_status",
    "claim_offering",
    "close_disclosure",
    "close_offering",
    "comment_on_update",
    "create_agreement",
    "create_offering",
    "create_partner",
    "disclose_interest",
    "edit_partner",
    "edit_partner_contact",
    "fund_pool_from_partnership",
    "post_update",
    "record_fulfilment",
    "record_reading",
    "record_value",
    "remove_partner_contact",
    "remove_representative",
    "review_offering",
    "schedule_review",
    "score_agreement",
    "set_agreement_maturity",
    "set_role",
    "update_risk",
    "withdraw_claim",
    "withdraw_comment",
    "withdraw_review",
]
