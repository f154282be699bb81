"""The navigation each role sees, computed once per request for the base template."""

from dataclasses import dataclass
from functools import cache
from typing import cast

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

from accord.people import permissions
from accord.people.models import Member, SiteRole
from accord.people.services.members import ensure_member


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


_NOT_READ = object()


def current_member(request: HttpRequest) -> Member | None:
    """The signed-in person's member profile, read once per request (the navigation, the
    view and its template tags all share it)."""
    known = request.__dict__.get("_accord_member", _NOT_READ)
    if known is not _NOT_READ:
        return cast("Member | None", known)
    user = getattr(request, "user", None)
    member = None
    if user is not None and user.is_authenticated:
        member = Member.objects.filter(user=user).first()
    request.__dict__["_accord_member"] = member
    return member


def request_member(request: HttpRequest) -> Member:
    """The signed-in person's member profile, created on their first sign-in (for views
    behind `login_required`)."""
    member = current_member(request)
    if member is None:
        member = ensure_member(request.user)  # type: ignore[arg-type]
        request.__dict__["_accord_member"] = member
    return member


def _items(member: Member | None) -> list[tuple[str, str]]:
    if member is None:
        return [
            ("About", "web:landing"),
            ("Criteria", "contributions:criteria"),
            ("Partners", "partners:list"),
            ("Partnerships", "partners:agreements"),
            ("Offerings", "partners:offerings"),
            ("Calendar", "governance:calendar"),
            ("Documents", "governance:documents"),
            ("Ledger", "ledger:entries"),
        ]
    items = [
        ("Home", "people:home"),
        ("Groups", "people:groups"),
        ("Members", "people:members"),
        ("My contributions", "contributions:mine"),
        ("My benefits", "benefits:mine"),
        ("My consent", "people:consents"),
        ("My receipts", "people:receipts"),
        ("Partners", "partners:list"),
        ("Partnerships", "partners:agreements"),
        ("Offerings", "partners:offerings"),
        ("Calendar", "governance:calendar"),
        ("Documents", "governance:documents"),
        ("Ledger", "ledger:entries"),
    ]
    if member.role != SiteRole.PARTNER_REP:  # decisions are the community's own business
        items.insert(
            items.index(("Partners", "partners:list")), ("Decisions", "governance:decisions")
        )
    if member.role != SiteRole.PARTNER_REP:  # concerns too (escalation paths)
        items.insert(
            items.index(("Partners", "partners:list")), ("My concerns", "governance:concerns")
        )
        items.insert(
            items.index(("Partners", "partners:list")), ("Positions", "governance:positions")
        )
    if member.role == SiteRole.PARTNER_REP:
        items.append(("My partner", "partners:mine"))
    if permissions.is_steward(member):
        items.append(("Review", "contributions:queue"))
        items.append(("Pools", "benefits:pools"))
        items.append(("Leadership", "people:leadership"))
        items.append(("Admin", "admin:index"))
    if permissions.is_treasurer(member):
        items.append(("Pools", "benefits:pools"))
        items.append(("Treasury", "benefits:treasury"))
    return items


@cache
def _url(name: str, prefix: str) -> str:
    """A navigation link, reversed once per process (and script prefix): they take no
    arguments."""
    return reverse(name)


def navigation(request: HttpRequest) -> dict[str, object]:
    member = current_member(request)
    path = request.path
    prefix = get_script_prefix()
    nav = []
    for label, name in _items(member):
        url = _url(name, prefix)
        current = path == url if url == "/" else path.startswith(url)
        nav.append(NavItem(label, url, current))
    return {
        "nav": nav,
        "member": member,
        "awaits_second_factor": permissions.awaits_second_factor(member),
    }
