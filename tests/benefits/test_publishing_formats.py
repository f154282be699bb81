"""A reward format that publishes the member needs their public-recognition consent and is
never what an unanswered statement receives."""

from datetime import timedelta

import pytest
from django.urls import reverse

from accord.benefits import services
from accord.benefits.models import Choice, Statement
from accord.benefits.schemas import ChoiceIn, CommitIn
from accord.domain.errors import InvalidInput
from accord.people.models import Purpose
from tests.benefits.conftest import TODAY, Community, make_pool
from tests.conftest import client_for
from tests.factories import grant

FORMATS = ("anonymous showcase", "newsletter feature")


def _showcase(community: Community) -> Statement:
    pool = make_pool(
        community.cast,
        community.policy,
        name="Showcase",
        formats=FORMATS,
        publishing_formats=("newsletter feature",),
    )
    services.commit_distribution(community.cast.treasurer, pool.slug, CommitIn(key="showcase-1"))
    return Statement.objects.get(distribution__pool=pool, member=community.cast.member)


def test_the_first_format_cannot_publish_the_member(community: Community) -> None:
    with pytest.raises(InvalidInput, match="first format"):
        make_pool(
            community.cast,
            community.policy,
            name="Bad",
            amount=0,
            formats=("newsletter feature", "voucher"),
            publishing_formats=("newsletter feature",),
        )
    with pytest.raises(InvalidInput, match="one of the pool's formats"):
        make_pool(
            community.cast,
            community.policy,
            name="Bad",
            amount=0,
            formats=("voucher",),
            publishing_formats=("homepage",),
        )


def test_a_publishing_format_is_refused_without_consent(community: Community) -> None:
    st = _showcase(community)
    member = community.cast.member
    page = client_for(member).get(reverse("benefits:statement", args=[st.pk])).content.decode()

    with pytest.raises(InvalidInput, match="Public recognition"):
        services.choose(member, st.pk, ChoiceIn(choice=Choice.SWITCH, format="newsletter feature"))

    assert '<option value="newsletter feature">' not in page
    assert "Public recognition" in page
    st.refresh_from_db()
    assert st.choice == Choice.PENDING


def test_with_consent_the_member_may_choose_it(community: Community) -> None:
    st = _showcase(community)
    member = community.cast.member
    grant(member, Purpose.PUBLIC_RECOGNITION)
    page = client_for(member).get(reverse("benefits:statement", args=[st.pk])).content.decode()

    services.choose(member, st.pk, ChoiceIn(choice=Choice.SWITCH, format="newsletter feature"))

    assert '<option value="newsletter feature">' in page
    st.refresh_from_db()
    assert (st.choice, st.format) == (Choice.SWITCH, "newsletter feature")


def test_an_unanswered_statement_is_settled_in_a_format_that_names_no_one(
    community: Community,
) -> None:
    st = _showcase(community)
    grant(community.cast.member, Purpose.PUBLIC_RECOGNITION)  # consent is not a choice

    services.settle_expired(today=st.distribution.choice_deadline + timedelta(days=1))

    st.refresh_from_db()
    assert (st.choice, st.format) == (Choice.TAKE, "anonymous showcase")
    assert st.distribution.choice_deadline >= TODAY
