"""A partner's money given under an agreement straight into a benefits pool."""

import uuid

from django.conf import settings
from django.db import transaction

from accord.benefits.services import fund_pool_for_partner
from accord.domain import partnerships as ps
from accord.domain.errors import Conflict, Forbidden, InvalidInput
from accord.ledger import services as ledger
from accord.partners import permissions
from accord.partners.models import PoolFunding
from accord.partners.schemas import PoolFundingIn
from accord.partners.services._common import _agreement, _agreement_subject, _not_ahead
from accord.partners.services.goals import _money
from accord.people.models import Member


def fund_pool_from_partnership(
    actor: Member, agreement_id: int, data: PoolFundingIn
) -> PoolFunding:
    """A treasurer records money the partner gives under the agreement straight into an open
    pool: posted in the benefits accounts from the partner's funding account to the pool's,
    and linked here to the partnership, so reciprocity counts what it pays to members and
    revenue counts it as the partner's income. Once per idempotency key."""
    if not permissions.can_fund_pool(actor):
        raise Forbidden("Only treasurers record a partner's funding of a pool.")
    pool_slug = data.pool.strip()
    if not pool_slug:
        raise InvalidInput("Choose the pool the partner funds.")
    amount = _money(data.amount)
    on = _not_ahead(data.on)
    currency = settings.ACCORD_CURRENCY
    with transaction.atomic(durable=True):
        agreement = _agreement(agreement_id)
        key = f"partnership:{agreement.pk}:{data.key.strip() or uuid.uuid4().hex}"
        earlier = (
            PoolFunding.objects.select_related("pool", "agreement__partner")
            .filter(transaction__key=key)
            .first()
        )
        if earlier is not None:
            if (earlier.pool.slug, earlier.amount) != (pool_slug, amount):
                raise Conflict(f"The key {data.key!r} was already used for another funding.")
            return earlier
        if agreement.status == ps.Status.ENDED:
            raise Conflict("The agreement has ended: record new money under a current one.")
        partner = agreement.partner
        pool, posted = fund_pool_for_partner(
            actor, pool_slug, partner.slug, amount, currency, key=key
        )
        funding = PoolFunding.objects.create(
            agreement=agreement,
            pool=pool,
            amount=amount,
            currency=currency,
            on=on,
            transaction=posted,
            by=actor,
        )
        ledger.append(
            "pool.funded_by_partner",
            actor.pseudonym,
            _agreement_subject(agreement),
            {
                "funding": funding.pk,
                "agreement": agreement.pk,
                "partner": partner.slug,
                "pool": pool.slug,
                "amount": amount,
                "unit": currency,
                "on": on.isoformat(),
                "transaction": posted.pk,
            },
        )
    return funding
