"""The partnership page's sections: the body, reciprocity, the registers and the updates
channel, each form shown only to whom may use it; a refusal re-renders the page with the
service's reason and changes nothing. And a representative's own page, their portal."""

from datetime import timedelta

from django.utils import timezone
from django.utils.html import escape

from accord.partners import services
from accord.partners.models import Agreement, Update, UpdateComment, ValueRecord
from accord.partners.schemas import AgreementIn, CommentIn, UpdateIn, ValueIn
from accord.people.models import Purpose
from tests.conftest import Cast, client_for
from tests.factories import grant, make_partner_rep

TODAY = timezone.localdate()


def _agreement(cast: Cast, *, partner: str = "", title: str = "Mentoring") -> Agreement:
    return services.create_agreement(
        cast.steward,
        AgreementIn(
            partner=partner or cast.partner.slug,
            title=title,
            purpose="Members mentor students.",
            reasons=["networks"],
        ),
    )


def _value(cast: Cast, agreement: Agreement, kind: str, amount: int) -> None:
    services.record_value(
        cast.steward,
        agreement.pk,
        ValueIn(kind=kind, amount=amount, on=TODAY - timedelta(days=3), basis=f"{kind} basis"),
    )


def _page(viewer: object, agreement: Agreement) -> str:
    response = client_for(viewer).get(f"/partnerships/{agreement.pk}/")  # type: ignore[arg-type]
    assert response.status_code == 200
    return response.content.decode()


def test_the_sections_come_in_order_after_the_facts(cast: Cast) -> None:
    html = _page(None, _agreement(cast))
    order = [html.index(h) for h in ('id="agreement-goals"', 'id="reciprocity"', 'id="updates"')]
    assert order == sorted(order)
    assert (
        html.index('id="reciprocity"')
        < html.index(">Declared interests<")
        < html.index('id="updates"')
    )


def test_reciprocity_lists_every_input_and_the_ratio_with_two_decimals(cast: Cast) -> None:
    agreement = _agreement(cast)
    _value(cast, agreement, "training", 20000)
    _value(cast, agreement, "exposure", 30000)

    html = _page(None, agreement)

    assert "2/3 = 0.67" in html
    assert "training basis" in html
    assert "exposure basis" in html
    assert "To members" in html
    assert "To the partner" in html
    assert 'id="extractive-flag"' in html
    assert "ratio is below 1" in html


def test_no_extractive_flag_when_members_get_back_at_least_as_much(cast: Cast) -> None:
    agreement = _agreement(cast)
    _value(cast, agreement, "training", 30000)
    _value(cast, agreement, "exposure", 30000)

    html = _page(None, agreement)

    assert "1 = 1.00" in html
    assert 'id="extractive-flag"' not in html


def test_the_list_flags_extractive_partnerships(cast: Cast) -> None:
    taking = _agreement(cast, title="Taking")
    giving = _agreement(cast, title="Giving")
    _value(cast, taking, "exposure", 500)
    _value(cast, giving, "training", 500)

    html = client_for(None).get("/partnerships/").content.decode()

    row = {t: html.split(f">{t}</a>", 1)[1].split("</tr>", 1)[0] for t in ("Taking", "Giving")}
    assert "Extractive" in row["Taking"]
    assert "Extractive" not in row["Giving"]


def test_forms_are_shown_only_to_whom_may_use_them(cast: Cast) -> None:
    agreement = _agreement(cast)
    services.post_update(cast.steward, agreement.pk, UpdateIn(body="Kick-off done."))
    value_form = f"/partnerships/{agreement.pk}/values/"
    post_form = f"/partnerships/{agreement.pk}/updates/"
    comment_form = "/comments/"

    anonymous = _page(None, agreement)
    member = _page(cast.member, agreement)
    rep = _page(cast.partner_rep, agreement)
    other_rep = _page(make_partner_rep(cast.other_partner), agreement)
    steward = _page(cast.steward, agreement)

    assert value_form in steward
    assert not any(value_form in h for h in (anonymous, member, rep))
    assert post_form in steward
    assert post_form in rep
    assert not any(f'action="{post_form}"' in h for h in (anonymous, member, other_rep))
    assert comment_form in member
    assert comment_form not in anonymous
    assert "Kick-off done." in anonymous


def test_comment_authors_are_named_only_to_readers_who_may_see_them(cast: Cast) -> None:
    agreement = _agreement(cast)
    update = services.post_update(cast.partner_rep, agreement.pk, UpdateIn(body="Hello."))
    services.comment_on_update(cast.member, update.pk, CommentIn(body="Welcome aboard."))

    assert "Welcome aboard." not in _page(None, agreement)  # signed out: updates only
    assert cast.partner_rep.pseudonym in _page(None, agreement)
    other = _page(cast.other, agreement)
    assert "Welcome aboard." in other
    assert "a member" in other
    assert escape(cast.member.display_name) not in other

    grant(cast.member, Purpose.MEMBER_DIRECTORY)
    assert escape(cast.member.display_name) in _page(cast.other, agreement)


def test_withdraw_is_offered_on_ones_own_comments_and_to_stewards(cast: Cast) -> None:
    agreement = _agreement(cast)
    update = services.post_update(cast.steward, agreement.pk, UpdateIn(body="x"))
    comment = services.comment_on_update(cast.member, update.pk, CommentIn(body="Mine."))
    withdraw = f"/comments/{comment.pk}/withdraw/"

    assert withdraw in _page(cast.member, agreement)
    assert withdraw in _page(cast.steward, agreement)
    assert withdraw not in _page(cast.other, agreement)

    response = client_for(cast.member).post(
        f"/partnerships/{agreement.pk}/updates/{update.pk}/comments/{comment.pk}/withdraw/"
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/partnerships/{agreement.pk}/#update-{update.pk}")
    assert not UpdateComment.objects.exists()


def test_posting_commenting_and_recording_redirect_to_their_section(cast: Cast) -> None:
    agreement = _agreement(cast)
    base = f"/partnerships/{agreement.pk}/"

    posted = client_for(cast.partner_rep).post(f"{base}updates/", {"body": "We hired two."})
    assert posted["Location"].endswith("#updates")
    update = Update.objects.get()
    assert update.side == "partner"
    assert update.author == cast.partner_rep

    commented = client_for(cast.member).post(
        f"{base}updates/{update.pk}/comments/", {"body": "Great."}
    )
    assert commented["Location"].endswith(f"#update-{update.pk}")
    assert UpdateComment.objects.get().author == cast.member

    fields = {"kind": "training", "amount": "4800", "on": TODAY.isoformat(), "basis": "12 h"}
    recorded = client_for(cast.steward).post(f"{base}values/", fields)
    assert recorded["Location"].endswith("#reciprocity")
    assert ValueRecord.objects.get().amount == 4800


def test_refusals_re_render_with_the_reason_and_change_nothing(cast: Cast) -> None:
    agreement = _agreement(cast)
    update = services.post_update(cast.steward, agreement.pk, UpdateIn(body="x"))
    comment = services.comment_on_update(cast.member, update.pk, CommentIn(body="Mine."))
    base = f"/partnerships/{agreement.pk}/"

    member_posts = client_for(cast.member).post(f"{base}updates/", {"body": "Let me."})
    assert member_posts.status_code == 403
    assert "Only stewards and this partner" in member_posts.content.decode()

    other_rep = make_partner_rep(cast.other_partner)
    assert client_for(other_rep).post(f"{base}updates/", {"body": "Me"}).status_code == 403

    empty = client_for(cast.steward).post(f"{base}updates/", {"body": "  "})
    assert empty.status_code == 422
    assert 'id="update-error"' in empty.content.decode()

    rep_records = client_for(cast.partner_rep).post(
        f"{base}values/",
        {"kind": "training", "amount": "100", "on": TODAY.isoformat(), "basis": "b"},
    )
    assert rep_records.status_code == 403
    assert "Only stewards record" in rep_records.content.decode()

    future = (TODAY + timedelta(days=2)).isoformat()
    steward_future = client_for(cast.steward).post(
        f"{base}values/", {"kind": "training", "amount": "100", "on": future, "basis": "b"}
    )
    assert steward_future.status_code == 422
    html = steward_future.content.decode()
    assert 'id="value-error"' in html
    assert "today or earlier" in html
    assert 'value="b"' in html  # the entered form is kept

    bad_kind = client_for(cast.steward).post(
        f"{base}values/", {"kind": "vibes", "amount": "100", "on": TODAY.isoformat(), "basis": "b"}
    )
    assert bad_kind.status_code == 422

    other_withdraws = client_for(cast.other).post(
        f"{base}updates/{update.pk}/comments/{comment.pk}/withdraw/"
    )
    assert other_withdraws.status_code == 403
    assert "Only its author or a steward" in other_withdraws.content.decode()

    empty_comment = client_for(cast.other).post(
        f"{base}updates/{update.pk}/comments/", {"body": ""}
    )
    assert empty_comment.status_code == 422
    assert f'id="comment-error-{update.pk}"' in empty_comment.content.decode()

    assert Update.objects.count() == 1
    assert list(UpdateComment.objects.values_list("pk", flat=True)) == [comment.pk]
    assert not ValueRecord.objects.exists()


def test_signed_out_posts_go_to_sign_in(cast: Cast) -> None:
    agreement = _agreement(cast)
    response = client_for(None).post(f"/partnerships/{agreement.pk}/updates/", {"body": "x"})
    assert response.status_code == 302
    assert not Update.objects.exists()


# -- the partner portal ---------------------------------------------------------------------


def test_a_representative_sees_their_partnerships_on_their_own_page(cast: Cast) -> None:
    agreement = _agreement(cast, title="Mentoring programme")
    services.post_update(cast.steward, agreement.pk, UpdateIn(body="Sessions start in May."))
    _value(cast, agreement, "exposure", 900)

    html = client_for(cast.partner_rep).get("/partners/mine/").content.decode()

    assert "Mentoring programme" in html
    assert f'href="/partnerships/{agreement.pk}/"' in html
    assert "Sessions start in May." in html
    assert "Extractive" in html
    assert "Prospect" in html
    assert f"/partners/{cast.partner.slug}/uptake/" in html


def test_a_representative_of_partner_b_sees_none_of_partner_as_agreements(cast: Cast) -> None:
    _agreement(cast, title="Only for A")
    services.post_update(
        cast.steward, _agreement(cast, title="Also A").pk, UpdateIn(body="A's secret plan")
    )
    mine = _agreement(cast, partner=cast.other_partner.slug, title="B's own")
    rep_b = make_partner_rep(cast.other_partner)

    html = client_for(rep_b).get("/partners/mine/").content.decode()

    assert escape("B's own") in html
    assert f'href="/partnerships/{mine.pk}/"' in html
    for secret in ("Only for A", "Also A", "A's secret plan", "A&#x27;s secret plan"):
        assert secret not in html
