"""Demo members, groups, leadership terms, partners and consents, in bulk."""

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker
from rich.console import Console
from rich.progress import Progress

from accord.ledger.services import SYSTEM, Record, append_many, sign_head
from accord.partners.models import Partner, PartnerKind, Representative
from accord.people.models import (
    Consent,
    ConsentEvent,
    ConsentSource,
    Group,
    GroupKind,
    GroupRole,
    LeadershipTerm,
    Member,
    Membership,
    Purpose,
    SiteRole,
    User,
)
from accord.people.services import consent_record

DEMO_PASSWORD = "accord-demo-2026"  # noqa: S105 - the demo prints it; demo data only
DEMO_DOMAIN = "@demo.accord.example"  # made up: nobody receives mail there
# The demo's steward, treasurer and auditor sign in with a second factor, as every office
# that reaches everyone's data or money must: this authenticator-app key is printed by
# `accord demo`, and `accord demo-code` shows its current code. Demo data only.
DEMO_TOTP_KEY = "ACCORDDEMOKEYFORTWOFACTORSIGNIN2"
DEMO_LOGINS = {
    "steward": "steward@demo.accord.example",
    "treasurer": "treasurer@demo.accord.example",
    "member": "member@demo.accord.example",
    "partner representative": "partner@demo.accord.example",
    "auditor": "auditor@demo.accord.example",
}

# (name, kind, parent name): three levels deep.
GROUPS = [
    ("Regional Network", GroupKind.NETWORK, None),
    ("North Chapter", GroupKind.CHAPTER, "Regional Network"),
    ("Riverside Local", GroupKind.CHAPTER, "North Chapter"),
    ("Hillcrest Local", GroupKind.CHAPTER, "North Chapter"),
    ("South Chapter", GroupKind.CHAPTER, "Regional Network"),
    ("Harbour Local", GroupKind.CHAPTER, "South Chapter"),
    ("Governance Committee", GroupKind.COMMITTEE, None),
    ("Partnership Review Panel", GroupKind.COMMITTEE, "Governance Committee"),
    ("Ethics Working Group", GroupKind.WORKING_GROUP, "Governance Committee"),
    ("Conflicts of Interest Desk", GroupKind.WORKING_GROUP, "Ethics Working Group"),
    ("Affinity Network", GroupKind.NETWORK, None),
    ("Early-Career Members", GroupKind.AFFINITY, "Affinity Network"),
    ("Mentoring Circle", GroupKind.WORKING_GROUP, "Early-Career Members"),
    ("Disability Inclusion", GroupKind.AFFINITY, "Affinity Network"),
    ("Open Data Working Group", GroupKind.WORKING_GROUP, None),
]

PARTNERS = [
    ("Northbridge University", PartnerKind.UNIVERSITY),
    ("Civic Futures Foundation", PartnerKind.FOUNDATION),
    ("Lumen Software", PartnerKind.VENDOR),
    ("Harbour Community Radio", PartnerKind.MEDIA),
    ("Brightwell Industries", PartnerKind.SPONSOR),
    ("Guild of Practitioners", PartnerKind.ASSOCIATION),
    ("Regional Skills Agency", PartnerKind.PUBLIC_BODY),
    ("Eastside Neighbourhood Trust", PartnerKind.NGO),
]

EXPERTISE = [
    "grant writing",
    "python",
    "event planning",
    "accessibility",
    "data analysis",
    "facilitation",
    "mentoring",
    "fundraising",
    "policy",
    "translation",
    "design",
    "community moderation",
    "research",
    "public speaking",
    "law",
    "finance",
]

# Share of members saying yes to each purpose: mixed, as in a real community.
CONSENT_RATES = {
    Purpose.MEMBER_DIRECTORY: 0.6,
    Purpose.PUBLIC_RECOGNITION: 0.45,
    Purpose.PARTNER_CONTACT: 0.2,
    Purpose.SHARE_PROFILE_WITH_PARTNERS: 0.25,
}

BATCH = 2000


def seed_people(
    *, members: int, seed: int, console: Console
) -> tuple[list[Member], dict[str, Member]]:
    rng = random.Random(seed)
    fake = Faker()
    fake.seed_instance(seed)
    now = timezone.now().replace(microsecond=0)
    today = now.date()
    unusable = make_password(None)

    with transaction.atomic(), Progress(console=console, transient=True) as progress:
        task = progress.add_task("Members", total=members)
        role_members = _seed_role_logins(rng, fake, now)
        people: list[Member] = list(role_members.values())
        for start in range(len(people), members, BATCH):
            count = min(BATCH, members - start)
            users, profiles = [], []
            for i in range(start, start + count):
                first, last = fake.first_name(), fake.last_name()
                email = f"{slugify(first)}.{slugify(last)}.{i}{DEMO_DOMAIN}"
                users.append(
                    User(
                        username=email,
                        email=email,
                        password=unusable,
                        first_name=first,
                        last_name=last,
                        date_joined=now,
                    )
                )
            User.objects.bulk_create(users, batch_size=BATCH)
            users = list(User.objects.filter(email__in=[u.email for u in users]).order_by("id"))
            _verified_addresses(users)
            for user in users:
                profiles.append(
                    Member(
                        user=user,
                        pseudonym=_pseudonym(rng),
                        display_name=f"{user.first_name} {user.last_name}",
                        pronouns=rng.choice(["", "", "she/her", "he/him", "they/them"]),
                        bio=fake.sentence(nb_words=12) if rng.random() < 0.5 else "",
                        expertise=sorted(rng.sample(EXPERTISE, rng.randint(0, 3))),
                        time_zone=rng.choice(
                            ["Europe/Paris", "Europe/London", "America/Toronto", "UTC"]
                        ),
                        joined_at=now - timedelta(days=rng.randint(30, 2000)),
                    )
                )
            people.extend(Member.objects.bulk_create(profiles, batch_size=BATCH))
            progress.update(task, completed=start + count)
        progress.update(task, completed=members)

        groups = _seed_groups()
        _seed_memberships(rng, people, groups, role_members, now)
        _seed_terms(rng, groups, people, today)
        _seed_partners(role_members, now)
        _seed_consents(rng, people, role_members, now, progress)
        sign_head()
    return people, role_members


def _pseudonym(rng: random.Random) -> str:
    return "m-" + "".join(rng.choice("0123456789abcdef") for _ in range(16))


def verify_demo_addresses() -> int:
    """Confirm the demo's own made-up addresses that have no address record yet (a demo
    seeded before e-mail verification was required); real people's addresses are left for
    them to confirm. Returns how many were confirmed."""
    users = list(User.objects.filter(email__endswith=DEMO_DOMAIN, emailaddress__isnull=True))
    _verified_addresses(users)
    return len(users)


def _verified_addresses(users: list[User]) -> None:
    """Demo people have verified their e-mail addresses, as real members must have."""
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=BATCH,
    )


def _seed_role_logins(rng, fake, now) -> dict[str, Member]:  # type: ignore[no-untyped-def]
    roles = {
        "steward": (SiteRole.STEWARD, "Sam Steward"),
        "treasurer": (SiteRole.TREASURER, "Tia Treasurer"),
        "member": (SiteRole.MEMBER, "Mo Member"),
        "partner representative": (SiteRole.PARTNER_REP, "Pat Partner"),
        "auditor": (SiteRole.AUDITOR, "Avery Auditor"),
    }
    password = make_password(DEMO_PASSWORD)
    out = {}
    for key, (role, name) in roles.items():
        email = DEMO_LOGINS[key]
        user = User.objects.create(
            username=email,
            email=email,
            password=password,
            is_staff=role == SiteRole.STEWARD,
            date_joined=now,
        )
        out[key] = Member.objects.create(
            user=user,
            display_name=name,
            role=role,
            pseudonym=_pseudonym(rng),
            bio=fake.sentence(nb_words=10),
            expertise=["facilitation", "policy"],
        )
        if role != SiteRole.MEMBER:
            append_many(
                [
                    Record(
                        "role.changed",
                        SYSTEM,
                        out[key].pseudonym,
                        {"role": role, "previous": None},
                    )
                ],
                at=now,
            )
    _verified_addresses([m.user for m in out.values() if m.user is not None])
    for key in ("steward", "treasurer", "auditor"):
        TOTP.activate(out[key].user, DEMO_TOTP_KEY)
    return out


def _seed_groups() -> list[Group]:
    by_name: dict[str, Group] = {}
    for name, kind, parent in GROUPS:
        by_name[name] = Group.objects.create(
            name=name,
            slug=slugify(name),
            kind=kind,
            parent=by_name[parent] if parent else None,
            description=f"The {name} of the Riverbend Civic Association.",
        )
    return list(by_name.values())


def _seed_memberships(rng, people, groups, role_members, now) -> None:  # type: ignore[no-untyped-def]
    rows = []
    for member in people:
        for group in rng.sample(groups, rng.randint(1, 3)):
            rows.append(
                Membership(
                    member=member,
                    group=group,
                    role=GroupRole.MEMBER,
                    joined_at=now - timedelta(days=rng.randint(1, 700)),
                )
            )
    # The demo member is in two groups, so group pages show them.
    seen = {(m.member_id, m.group_id) for m in rows}
    for group in groups[:2]:
        if (role_members["member"].pk, group.pk) not in seen:
            rows.append(Membership(member=role_members["member"], group=group, joined_at=now))
    Membership.objects.bulk_create(rows, batch_size=BATCH)


def _seed_terms(rng, groups, people, today) -> None:  # type: ignore[no-untyped-def]
    """A lead per group: some terms end soon, some have a successor, one is over the limit."""
    terms = []
    for i, group in enumerate(groups):
        lead = people[(i * 37 + 11) % len(people)]
        start = today - timedelta(days=300 - i * 15)
        end = start + timedelta(days=364)
        terms.append(
            LeadershipTerm(group=group, member=lead, role=GroupRole.LEAD, start=start, end=end)
        )
        if i % 3 == 0:  # a planned successor
            successor = people[(i * 53 + 7) % len(people)]
            terms.append(
                LeadershipTerm(
                    group=group,
                    member=successor,
                    role=GroupRole.LEAD,
                    start=end + timedelta(days=1),
                    end=end + timedelta(days=365),
                )
            )
        if i == 1:  # two earlier consecutive terms: over a limit of 2
            terms.append(
                LeadershipTerm(
                    group=group,
                    member=lead,
                    role=GroupRole.LEAD,
                    start=start - timedelta(days=365),
                    end=start - timedelta(days=1),
                )
            )
            terms.append(
                LeadershipTerm(
                    group=group,
                    member=lead,
                    role=GroupRole.LEAD,
                    start=start - timedelta(days=730),
                    end=start - timedelta(days=366),
                )
            )
        Membership.objects.filter(member=lead, group=group, left_at__isnull=True).update(
            role=GroupRole.LEAD
        )
        if not Membership.objects.filter(member=lead, group=group).exists():
            Membership.objects.create(member=lead, group=group, role=GroupRole.LEAD)
        co = people[(i * 41 + 3) % len(people)]
        if rng.random() < 0.5 and co.pk != lead.pk:
            Membership.objects.update_or_create(
                member=co, group=group, left_at=None, defaults={"role": GroupRole.SHADOW}
            )
    LeadershipTerm.objects.bulk_create(terms)


def _seed_partners(role_members, now) -> None:  # type: ignore[no-untyped-def]
    partners = [
        Partner.objects.create(
            name=name,
            slug=slugify(name),
            kind=kind,
            description=f"{name} works with the association.",
        )
        for name, kind in PARTNERS
    ]
    Representative.objects.create(
        member=role_members["partner representative"], partner=partners[0], since=now
    )


def _seed_consents(rng, people, role_members, now, progress) -> None:  # type: ignore[no-untyped-def]
    task = progress.add_task("Consents", total=len(people))
    consents, events, records = [], [], []
    forced = {role_members["member"].pk: {Purpose.MEMBER_DIRECTORY, Purpose.PUBLIC_RECOGNITION}}
    for n, member in enumerate(people):
        wanted = forced.get(member.pk)
        for purpose, rate in CONSENT_RATES.items():
            yes = purpose in wanted if wanted is not None else rng.random() < rate
            if not yes:
                continue
            at = now - timedelta(days=rng.randint(0, 300))
            consents.append(Consent(member=member, purpose=purpose, granted=True, updated_at=at))
            records.append(consent_record(member.pk, purpose, True, ConsentSource.DEMO))
            events.append(
                ConsentEvent(
                    member=member,
                    purpose=purpose,
                    granted=True,
                    at=at,
                    source=ConsentSource.DEMO,
                    actor=member,
                )
            )
        if len(consents) >= BATCH:
            Consent.objects.bulk_create(consents, batch_size=BATCH)
            ConsentEvent.objects.bulk_create(events, batch_size=BATCH)
            append_many(records, at=now)
            consents, events, records = [], [], []
            progress.update(task, completed=n + 1)
    Consent.objects.bulk_create(consents, batch_size=BATCH)
    ConsentEvent.objects.bulk_create(events, batch_size=BATCH)
    append_many(records, at=now)
    progress.update(task, completed=len(people))
