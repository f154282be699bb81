"""Value recorded by hand as flowing either way under an agreement."""

from django.db import transaction
from django.utils import timezone

from accord.domain import partnerships as ps
from accord.domain.errors import Forbidden, InvalidInput
from accord.ledger import services as ledger
from accord.partners import permissions
from accord.partners.models import TO_MEMBERS_KINDS, ValueKind, ValueRecord
from accord.partners.schemas import ValueIn
from accord.partners.services._common import _agreement, _agreement_subject
from accord.people.models import Member


def record_value(actor: Member, agreement_id: int, data: ValueIn) -> ValueRecord:
    """A steward records one dated input to the partnership's reciprocity: value delivered
    to members (training, services, benefit members reported) or received by the partner
    (exposure, contacts, fees, involvement), with the basis of the estimate. The ledger
    keeps the figures and a hash of the basis."""
    if not permissions.can_manage_partners(actor):
        raise Forbidden("Only stewards record what a partnership gives and gets.")
    if data.kind not in ValueKind.values:
        raise InvalidInput(
            f"{data.kind!r} is not a kind of value ({', '.join(ValueKind.values)})."
        )
    if data.on > timezone.localdate():
        raise InvalidInput("A value is recorded once delivered: its date is today or earlier.")
    basis = data.basis.strip()
    if not basis:
        raise InvalidInput("Say how the value is estimated (e.g. 12 hours at 40.00 an hour).")
    side = ps.Side.TO_MEMBERS if data.kind in TO_MEMBERS_KINDS else ps.Side.TO_PARTNER
    with transaction.atomic(durable=True):
        agreement = _agreement(agreement_id)
        record = ValueRecord.objects.create(
            agreement=agreement,
            kind=data.kind,
            amount=data.amount,
            on=data.on,
            basis=basis,
            recorded_by=actor,
        )
        ledger.append(
            "agreement.value",
            actor.pseudonym,
            _agreement_subject(agreement),
            {
                "record": record.pk,
                "side": side.value,
                "kind": data.kind,
                "amount": data.amount,
                "on": data.on.isoformat(),
                "basis_sha256": ledger.note(basis),
            },
        )
    return record
