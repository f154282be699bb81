"""Decision pages: the list (where any member proposes one) and its CSV export, and each
decision's page, where its electorate votes, members discuss it and whoever runs it opens it,
closes it and records its outcome.

Each view parses the form, calls one query or service and maps its errors: a refusal is
shown beside the form it came from, with the service's words and status (a name that
matches nothing is bad input, 422), and nothing changes.
"""

import json
from datetime import datetime
from fractions import Fraction
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accord.domain.errors import DomainError, Forbidden, InvalidInput, NotFound
from accord.domain.mandates import Gated
from accord.domain.voting import STANCES, PollType
from accord.governance import queries, results, services
from accord.governance.schemas import DecisionCommentIn, DecisionIn, OutcomeIn, VoteIn
from accord.people.models import Member
from accord.people.navigation import current_member, request_member
from accord.people.schemas import parse
from accord.web.csvfiles import csv_response
from accord.web.limits import limited
from accord.web.rendering import render_page

PROPOSAL_FIELDS = (
    *("title", "body", "group", "subject", "poll", "options", "threshold", "quorum"),
    *("closes_at", "action", "policy", "effective_from"),
)
ACTIONS = [
    ("", "Nothing by itself"),
    *((g.value, g.label) for g in Gated if g.value != "decision_right.change"),
]
STATUSES = [
    ("draft", "Draft"),
    ("open", "Open for votes"),
    ("closed", "Closed"),
    (queries.OUTCOME_DUE, "Outcome due"),
]
POLLS = [
    (PollType.CONSENT.value, "Consent proposal: agree, abstain, disagree or block"),
    (PollType.SINGLE.value, "Single choice: one option each"),
    (PollType.APPROVAL.value, "Approval: any number of options each"),
    (PollType.SCORE.value, "Score: 0 to 5 for every option"),
    (PollType.RANKED.value, "Ranked choice: options in order of preference"),
]
CSV_COLUMNS = (
    "number",
    "title",
    "scope",
    "poll",
    "ballot",
    "status",
    "proposer",
    "closes_at",
    "closed_at",
    "electorate",
    "ballots",
    "turnout",
    "counts",
    "result",
    "outcome",
)


def _member(request: HttpRequest) -> Member:
    return request_member(request)


def _form_status(exc: DomainError) -> int:
    """A form re-shown with the service's reason: a name that matches nothing is bad input."""
    return 422 if exc.status == 404 else exc.status


class Filters:
    """The list's filters as the query string gives them (unknown values are ignored)."""

    def __init__(self, get: Any) -> None:
        status = get.get("status", "")
        self.status = status if status in dict(STATUSES) else ""
        self.scope = get.get("scope", "").strip()[:64]

    def as_query(self) -> str:
        pairs = [(k, v) for k, v in (("status", self.status), ("scope", self.scope)) if v]
        return urlencode(pairs)

    def lines(self, viewer: Member | None) -> list[queries.DecisionLine]:
        return queries.list_decisions(viewer, status=self.status or None, scope=self.scope or None)


def _closes_at(text: str) -> datetime | str:
    """A datetime-local value is read in the community's time zone; an ISO time with its own
    zone is kept as written; anything else goes to the schema, which refuses it."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        return text
    return timezone.make_aware(when) if timezone.is_naive(when) else when


def _proposal(values: dict[str, Any]) -> DecisionIn:
    given: dict[str, Any] = {
        "title": values["title"],
        "body": values["body"],
        "poll": values["poll"],
        "secret": values["secret"],
        "group": values["group"] or None,
        "subject": values["subject"] or None,
        "options": [o.strip() for o in values["options"].splitlines() if o.strip()],
        "closes_at": _closes_at(values["closes_at"]),
    }
    for share in ("threshold", "quorum"):
        if values[share].strip():
            given[share] = values[share]
    if values["action"]:
        given["action"] = values["action"]
        if values["action"] == Gated.PUBLISH_POLICY:
            given["policy"] = _document(values["policy"])
            given["effective_from"] = values["effective_from"] or None
    return parse(DecisionIn, given)


def _document(text: str) -> Any:
    """The policy document as JSON; text that is not JSON goes to the schema as is, which
    refuses it by name."""
    try:
        return json.loads(text)
    except ValueError:
        return text


@require_http_methods(["GET", "POST"])
def decision_list(request: HttpRequest) -> HttpResponse:
    """The decisions the reader may see, filtered; any member proposes one here."""
    viewer = current_member(request)
    if viewer is None:
        return redirect_to_login(request.get_full_path())
    values: dict[str, Any] = {
        "poll": PollType.CONSENT.value,
        "threshold": "1/2",
        "quorum": "0",
        "action": request.GET.get("action", ""),
    }
    error, status = "", 200
    if request.method == "POST":
        values = {f: request.POST.get(f, "") for f in PROPOSAL_FIELDS}
        values["secret"] = request.POST.get("secret") == "on"
        try:
            made = services.propose_decision(viewer, _proposal(values))
        except DomainError as exc:
            error, status = exc.detail, _form_status(exc)
        else:
            messages.success(
                request, f"“{made.title}” is drafted; it opens when it is put to the vote."
            )
            return redirect("governance:decision", decision_id=made.pk)
    filters = Filters(request.GET)
    try:
        lines = filters.lines(viewer)
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from exc
    context = {
        "lines": [(ln, results.verdict(ln.decision.tally, ln.decision.options)) for ln in lines],
        "filters": filters,
        "statuses": STATUSES,
        "scopes": queries.decision_scopes(viewer),
        "groups": queries.proposable_groups(viewer),
        "subjects": queries.subject_choices(),
        "polls": POLLS,
        "actions": ACTIONS,
        "values": values,
        "error": error,
    }
    return render_page(request, "governance/decisions.html", context, status=status)


def _csv_row(line: queries.DecisionLine) -> list[object]:
    d = line.decision
    closed = d.status == "closed" and d.tally is not None
    tally = d.tally if closed else None
    return [
        d.pk,
        d.title,
        d.group.slug if d.group else queries.COMMUNITY,
        d.poll,
        "secret" if d.secret else "open",
        queries.OUTCOME_DUE if d.outcome_due else d.status,
        line.proposer,
        timezone.localtime(d.closes_at).isoformat(),
        timezone.localtime(d.closed_at).isoformat() if d.closed_at else "",
        d.electorate_size if closed else "",
        line.ballots if closed else "",
        str(line.turnout) if closed else "",
        " ".join(f"{c.label}={c.count}" for c in results.counts(d.poll, d.options, tally))
        if tally
        else "",
        results.verdict(tally, d.options),
        d.outcome,
    ]


@login_required
@require_safe
@limited("export-decisions", "60/h", methods=("GET",))
def decisions_csv(request: HttpRequest) -> HttpResponse:
    """The list as CSV: exactly the decisions its filters show; counts once closed."""
    try:
        lines = Filters(request.GET).lines(current_member(request))
    except Forbidden as exc:
        raise PermissionDenied(exc.detail) from exc
    return csv_response(
        f"decisions-{timezone.localdate():%Y-%m-%d}.csv",
        CSV_COLUMNS,
        (_csv_row(line) for line in lines),
    )


# -- one decision -------------------------------------------------------------------------


def _ballot_form(page: queries.DecisionPage, posted: Any = None) -> dict[str, Any]:
    """What the vote form shows: the reader's posted choice after a refusal, else their
    current ballot."""
    d = page.line.decision
    mine = page.my_choice or {}
    options = list(enumerate(d.options))
    if posted is not None:
        return {
            "stance": posted.get("stance", ""),
            "option": posted.get("option", ""),
            "approved": posted.getlist("options"),
            "scores": [(i, o, posted.get(f"score-{i}", "")) for i, o in options],
            "ranks": [(r, posted.get(f"rank-{r}", "")) for r in range(1, len(options) + 1)],
        }
    ranking = [str(o) for o in mine.get("ranking", [])]
    scores = mine.get("scores") or [""] * len(options)
    return {
        "stance": mine.get("stance", ""),
        "option": str(mine.get("option", "")),
        "approved": [str(o) for o in mine.get("options", [])],
        "scores": [(i, o, str(scores[i])) for i, o in options],
        "ranks": [
            (r, ranking[r - 1] if r <= len(ranking) else "") for r in range(1, len(options) + 1)
        ],
    }


def _shown_tally(page: queries.DecisionPage) -> dict[str, Any] | None:
    d, tally = page.line.decision, page.tally
    if tally is None:
        return None
    return {
        "final": d.status == "closed",
        "counts": results.counts(d.poll, d.options, tally),
        "rounds": results.rounds(d.options, tally),
        "explained": results.explain(d.poll, d.options, d.threshold, d.quorum, tally),
    }


def _page(
    request: HttpRequest, decision_id: int, *, status: int = 200, **context: Any
) -> HttpResponse:
    try:
        page = queries.decision_page(current_member(request), decision_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    d = page.line.decision
    context.setdefault("ballot", _ballot_form(page))
    context.update(
        {
            "page": page,
            "d": d,
            "tally": _shown_tally(page),
            "stances": [s.value for s in STANCES],
            "score_range": range(6),
            "options": list(enumerate(d.options)),
            "polls": POLLS,
            "threshold": Fraction(d.threshold),
            "quorum": Fraction(d.quorum),
            "voters": [
                (v, results.ballot_words(d.poll, d.options, v.choice)) for v in page.voters or []
            ],
            "my_words": results.ballot_words(d.poll, d.options, page.my_choice)
            if page.my_choice
            else "",
            "carried_out": queries.carried_out(d),
            "policy_text": json.dumps((d.proposal or {}).get("document"), indent=2),
        }
    )
    return render_page(request, "governance/decision.html", context, status=status)


def _refused(
    request: HttpRequest, decision_id: int, form: str, exc: DomainError, **context: Any
) -> HttpResponse:
    """The decision page again with the service's reason beside `form`, or at the top when
    the reader was refused it (they have no form to show it by)."""
    key = "refused" if isinstance(exc, Forbidden) else f"{form}_error"
    context[key] = exc.detail
    return _page(request, decision_id, status=_form_status(exc), **context)


@require_safe
def decision(request: HttpRequest, decision_id: int) -> HttpResponse:
    """A decision, its counts and turnout, the reader's ballot and its discussion."""
    if current_member(request) is None:
        return redirect_to_login(request.get_full_path())
    return _page(request, decision_id)


def _back(decision_id: int, anchor: str = "") -> HttpResponse:
    url = reverse("governance:decision", args=[decision_id])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _choice(poll: str, count: int, post: Any) -> dict[str, Any]:
    """The vote form's fields as the ballot's payload for `VoteIn`."""
    match PollType(poll):
        case PollType.CONSENT:
            if not post.get("stance"):
                raise InvalidInput("Choose agree, abstain, disagree or block before you vote.")
            return {"stance": post["stance"]}
        case PollType.SINGLE:
            if not post.get("option"):
                raise InvalidInput("Choose an option before you vote.")
            return {"option": post["option"]}
        case PollType.APPROVAL:
            return {"options": post.getlist("options")}
        case PollType.SCORE:
            scores = [post.get(f"score-{i}", "") for i in range(count)]
            if "" in scores:
                raise InvalidInput("Give every option a score from 0 to 5 before you vote.")
            return {"scores": scores}
        case PollType.RANKED:
            picked = [post.get(f"rank-{r}", "") for r in range(1, count + 1)]
            return {"ranking": [p for p in picked if p]}


@login_required
@require_POST
@limited("vote", "120/h")
def vote(request: HttpRequest, decision_id: int) -> HttpResponse:
    """A member of the electorate casts or changes their ballot."""
    actor = _member(request)
    try:
        found = queries.decision_page(actor, decision_id).line.decision
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    try:
        payload = _choice(found.poll, len(found.options), request.POST)
        services.cast_vote(actor, decision_id, parse(VoteIn, payload))
    except DomainError as exc:
        page = queries.decision_page(actor, decision_id)
        return _refused(request, decision_id, "vote", exc, ballot=_ballot_form(page, request.POST))
    messages.success(request, "Your ballot is recorded; you may change it until the vote closes.")
    return _back(decision_id, "vote")


@login_required
@require_POST
def open_decision(request: HttpRequest, decision_id: int) -> HttpResponse:
    """Whoever runs the decision puts it to the vote; its electorate is fixed now."""
    try:
        services.open_decision(_member(request), decision_id)
    except DomainError as exc:
        return _refused(request, decision_id, "run", exc)
    messages.success(request, "The decision is open for votes.")
    return _back(decision_id)


@login_required
@require_POST
def close_decision(request: HttpRequest, decision_id: int) -> HttpResponse:
    """Whoever runs the decision counts the ballots after its closing time."""
    try:
        services.close_decision(_member(request), decision_id)
    except DomainError as exc:
        return _refused(request, decision_id, "run", exc)
    messages.success(request, "The decision is closed and its tally recorded.")
    return _back(decision_id, "result")


@login_required
@require_POST
def record_outcome(request: HttpRequest, decision_id: int) -> HttpResponse:
    """Whoever runs the decision says what the community makes of its result."""
    posted = {"statement": request.POST.get("statement", "")}
    try:
        services.record_outcome(_member(request), decision_id, parse(OutcomeIn, posted))
    except DomainError as exc:
        return _refused(request, decision_id, "outcome", exc, outcome_values=posted)
    messages.success(request, "The outcome is recorded.")
    return _back(decision_id, "outcome")


@login_required
@require_POST
def comment(request: HttpRequest, decision_id: int) -> HttpResponse:
    """A member joins the decision's discussion."""
    posted = {"body": request.POST.get("body", "")}
    try:
        services.comment_on_decision(
            _member(request), decision_id, parse(DecisionCommentIn, posted)
        )
    except DomainError as exc:
        return _refused(request, decision_id, "comment", exc, comment_values=posted)
    messages.success(request, "Your comment is posted.")
    return _back(decision_id, "discussion")


@login_required
@require_POST
def carry_out(request: HttpRequest, decision_id: int) -> HttpResponse:
    """A steward does what a passed decision allows."""
    try:
        services.carry_out_decision(_member(request), decision_id)
    except DomainError as exc:
        return _refused(request, decision_id, "carry_out", exc)
    messages.success(request, "Done: what the decision allowed is carried out.")
    return _back(decision_id, "outcome")


@require_safe
def decision_rights(request: HttpRequest) -> HttpResponse:
    """Who decides each action that needs a passed decision: public, like the criteria."""
    return render_page(request, "governance/rights.html", {"rights": queries.decision_rights()})
