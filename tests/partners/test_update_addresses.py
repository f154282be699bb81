"""An update's comments are addressed through its partnership: the same update under another
partnership's address is not found, and nothing is written."""

import pytest

from accord.domain.errors import NotFound
from accord.partners import services
from accord.partners.models import Agreement, UpdateComment
from accord.partners.schemas import AgreementIn, CommentIn, UpdateIn
from tests.conftest import Cast, client_for


def _agreement(cast: Cast, title: str) -> Agreement:
    return services.create_agreement(
        cast.steward,
        AgreementIn(partner=cast.partner.slug, title=title, purpose="P", reasons=["networks"]),
    )


def test_it_refuses_a_comment_on_an_update_of_another_partnership(cast: Cast) -> None:
    ours, theirs = _agreement(cast, "Ours"), _agreement(cast, "Theirs")
    update = services.post_update(cast.steward, theirs.pk, UpdateIn(body="News"))

    response = client_for(cast.member).post(
        f"/partnerships/{ours.pk}/updates/{update.pk}/comments/", {"body": "Hello"}
    )

    assert response.status_code == 404
    assert not UpdateComment.objects.exists()


def test_it_refuses_to_withdraw_a_comment_through_another_partnership(cast: Cast) -> None:
    ours, theirs = _agreement(cast, "Ours"), _agreement(cast, "Theirs")
    update = services.post_update(cast.steward, theirs.pk, UpdateIn(body="News"))
    comment = services.comment_on_update(cast.member, update.pk, CommentIn(body="Mine"))

    response = client_for(cast.member).post(
        f"/partnerships/{ours.pk}/updates/{update.pk}/comments/{comment.pk}/withdraw/"
    )

    assert response.status_code == 404
    assert UpdateComment.objects.filter(pk=comment.pk).exists()


def test_the_right_address_still_takes_the_comment_and_its_withdrawal(cast: Cast) -> None:
    agreement = _agreement(cast, "Ours")
    update = services.post_update(cast.steward, agreement.pk, UpdateIn(body="News"))
    base = f"/partnerships/{agreement.pk}/updates/{update.pk}/comments/"

    said = client_for(cast.member).post(base, {"body": "Hello"})
    comment = UpdateComment.objects.get()
    taken_back = client_for(cast.member).post(f"{base}{comment.pk}/withdraw/")

    assert (said.status_code, taken_back.status_code) == (302, 302)
    assert not UpdateComment.objects.exists()


def test_the_service_checks_the_partnership_when_told_it(cast: Cast) -> None:
    ours, theirs = _agreement(cast, "Ours"), _agreement(cast, "Theirs")
    update = services.post_update(cast.steward, theirs.pk, UpdateIn(body="News"))

    made = services.comment_on_update(
        cast.member, update.pk, CommentIn(body="Right"), agreement_id=theirs.pk
    )

    assert made.update_id == update.pk
    with pytest.raises(NotFound):
        services.withdraw_comment(cast.member, update.pk, made.pk, agreement_id=ours.pk)
    assert UpdateComment.objects.filter(pk=made.pk).exists()
