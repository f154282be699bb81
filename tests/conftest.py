"""The shared role cast: a member, another member, a steward, a partner rep, an auditor."""

from dataclasses import dataclass

import pytest
from django.test import Client

from accord.partners.models import Partner
from accord.people.models import Group, Member, SiteRole
from tests.factories import add_to_group, make_group, make_member, make_partner, make_partner_rep


@dataclass
class Cast:
    member: Member
    other: Member
    steward: Member
    partner_rep: Member
    auditor: Member
    group: Group
    partner: Partner
    other_partner: Partner

    def by_role(self, role: str) -> Member | None:
        return None if role == "anonymous" else getattr(self, role)


@pytest.fixture
def cast(db: None) -> Cast:
    partner = make_partner(name="Northbridge University")
    group = make_group(name="North Chapter")
    member = make_member(name="Mo Member")
    other = make_member(name="Olu Other")
    add_to_group(member, group)
    add_to_group(other, group)
    return Cast(
        member=member,
        other=other,
        steward=make_member(name="Sam Steward", role=SiteRole.STEWARD),
        partner_rep=make_partner_rep(partner),
        auditor=make_member(name="Avery Auditor", role=SiteRole.AUDITOR),
        group=group,
        partner=partner,
        other_partner=make_partner(name="Lumen Software"),
    )


def client_for(member: Member | None) -> Client:
    client = Client()
    if member is not None:
        client.force_login(member.user)
    return client


@pytest.fixture
def member_client(cast: Cast) -> Client:
    return client_for(cast.member)
