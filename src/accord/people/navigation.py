"""The navigation each role sees, computed once per request for the base template."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from accord.people import permissions
from accord.people.models import Member, SiteRole


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


def current_member(request: HttpRequest) -> Member | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return Member.objects.filter(user=user).first()


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


def navigation(request: HttpRequest) -> dict[str, object]:
    member = current_member(request)
    path = request.path
    nav = []
    for label, name in _items(member):
        url = reverse(name)
        current = path == url if url == "/" else path.startswith(url)
        nav.append(NavItem(label, url, current))
    return {
        "nav": nav,
        "member": member,
        "awaits_second_factor": permissions.awaits_second_factor(member),
    }
