"""Every write about people, groups, roles, consent and tokens: one function per action.

The actions live in one module per subject; every app imports them from here.
"""

from accord.people.services.groups import (
    OFFICES,
    TERM_LIMIT_MAX,
    Merge,
    add_leadership_term,
    archive_group,
    assign_role,
    create_group,
    join_group,
    leave_group,
    merge_group,
    set_group_role,
    set_site_role,
    update_group,
)
from accord.people.services.members import (
    ERASED_NAME,
    PROFILE_LIMITS,
    clean_expertise,
    consent_record,
    create_member,
    ensure_member,
    erase_member,
    export_for_auditor,
    set_consent,
    update_profile,
)
from accord.people.services.partner_consent import (
    grant_partner_consent,
    partner_by_slug,
    withdraw_partner_consent,
)
from accord.people.services.tokens import (
    MAX_ACTIVE_TOKENS,
    TOKEN_PREFIX,
    NewToken,
    create_token,
    digest,
    revoke_token,
    revoke_tokens_of,
    token_for,
)

__all__ = [
    "ERASED_NAME",
    "MAX_ACTIVE_TOKENS",
    "OFFICES",
    "PROFILE_LIMITS",
    "TERM_LIMIT_MAX",
    "TOKEN_PREFIX",
    "Merge",
    "NewToken",
    "add_leadership_term",
    "archive_group",
    "assign_role",
    "clean_expertise",
    "consent_record",
    "create_group",
    "create_member",
    "create_token",
    "digest",
    "ensure_member",
    "erase_member",
    "export_for_auditor",
    "grant_partner_consent",
    "join_group",
    "leave_group",
    "merge_group",
    "partner_by_slug",
    "revoke_token",
    "revoke_tokens_of",
    "set_consent",
    "set_group_role",
    "set_site_role",
    "token_for",
    "update_group",
    "update_profile",
    "withdraw_partner_consent",
]
