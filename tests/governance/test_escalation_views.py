"""Concern pages: raising one, the handlers' actions, the paths and the public statistics."""

import csv
import io
from datetime import timedelta

from django.utils import timezone

from accord.governance import services
from accord.governance.models import Concern, ConcernStatus, EscalationLevel
from accord.governance.schemas import ResolutionIn
from tests.conftest import Cast, client_for
from tests.governance.escalation_helpers import ladder, raised


def test_a_member_raises_a_concern_from_my_concerns_and_lands_on_its_page(cast: Cast) -> None:
    ladder(cast)
    client = client_for(cast.member)

    response = client.post(
        "/concerns/",
        {"kind": "benefit", "summary": "My statement is wrong", "body": "Hours missing."},
    )

    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/concerns/{concern.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "My statement is wrong" in page
    assert "Group leads" in page
    assert "Next deadline" in page
    listing = client.get("/concerns/").content.decode()
    assert "My statement is wrong" in listing


def test_a_bad_concern_is_shown_beside_the_form_and_kept(cast: Cast) -> None:
    ladder(cast)

    response = client_for(cast.member).post(
        "/concerns/", {"kind": "conduct", "summary": "Kept", "body": "  "}
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "The concern is empty" in page
    assert 'value="Kept"' in page
    assert not Concern.objects.exists()


def test_without_a_path_raising_is_refused_with_a_reason(cast: Cast) -> None:
    response = client_for(cast.member).post(
        "/concerns/", {"kind": "conduct", "summary": "S", "body": "B"}
    )

    assert response.status_code == 409
    assert "No escalation path" in response.content.decode()


def test_the_handler_acknowledges_escalates_and_the_next_resolves(cast: Cast) -> None:
    concern = raised(cast)
    lead, auditor = client_for(cast.group_lead), client_for(cast.auditor)

    assert lead.post(f"/concerns/{concern.pk}/acknowledge/").status_code == 302
    assert lead.post(f"/concerns/{concern.pk}/escalate/").status_code == 302
    refused = lead.post(f"/concerns/{concern.pk}/resolve/", {"resolution": "x"})
    empty = auditor.post(f"/concerns/{concern.pk}/resolve/", {"resolution": " "})
    done = auditor.post(f"/concerns/{concern.pk}/resolve/", {"resolution": "Settled."})

    assert refused.status_code == 403
    assert empty.status_code == 422
    assert "The resolution is empty" in empty.content.decode()
    assert done.status_code == 302
    concern.refresh_from_db()
    assert (concern.status, concern.resolution) == (ConcernStatus.RESOLVED, "Settled.")
    page = client_for(cast.member).get(f"/concerns/{concern.pk}/").content.decode()
    assert "Settled." in page
    assert "Escalated by a handler" in page


def test_the_raiser_sees_the_new_level_after_the_deadline_passes(cast: Cast) -> None:
    concern = raised(cast)
    services.escalate_overdue_concerns(now=concern.deadline + timedelta(minutes=1))

    page = client_for(cast.member).get(f"/concerns/{concern.pk}/").content.decode()

    assert "2: Steering committee" in page
    assert "Escalated: its deadline passed" in page


def test_a_concern_is_not_found_for_those_who_may_not_read_it(cast: Cast) -> None:
    concern = raised(cast)

    assert client_for(cast.other).get(f"/concerns/{concern.pk}/").status_code == 404
    assert client_for(cast.partner_rep).get(f"/concerns/{concern.pk}/").status_code == 404
    assert client_for(None).get(f"/concerns/{concern.pk}/").status_code == 302


def test_the_queue_lists_what_waits_for_the_handler(cast: Cast) -> None:
    concern = raised(cast, anonymous=True)

    lead = client_for(cast.group_lead).get("/concerns/queue/").content.decode()
    steward = client_for(cast.steward).get("/concerns/queue/").content.decode()

    assert concern.summary in lead
    assert "Mo Member" in lead
    assert concern.summary in steward
    assert "Mo Member" not in steward


def test_a_steward_sets_up_a_level_from_the_paths_page(cast: Cast) -> None:
    client = client_for(cast.steward)

    response = client.post(
        "/concerns/levels/",
        {
            "group": "",
            "rank": "1",
            "name": "Group leads",
            "response_hours": "72",
            "handlers": cast.group_lead.pseudonym,
        },
    )

    assert response.status_code == 302
    assert EscalationLevel.objects.get().name == "Group leads"
    page = client_for(cast.member).get("/concerns/levels/").content.decode()
    assert "Group leads" in page
    assert "3 days" in page
    bad = client.post(
        "/concerns/levels/",
        {"rank": "3", "name": "Board", "response_hours": "336", "handlers": "x"},
    )
    assert bad.status_code == 422


def test_the_statistics_are_public_and_withhold_small_numbers(cast: Cast) -> None:
    concern = raised(cast)
    services.resolve_concern(cast.group_lead, concern.pk, ResolutionIn(resolution="Done."))

    page = client_for(None).get("/concerns/statistics/")
    export = client_for(None).get("/concerns/statistics.csv")

    assert page.status_code == 200
    text = page.content.decode()
    assert "fewer than 10" in text
    assert "Mo Member" not in text
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0] == [
        "breakdown",
        "label",
        "raised",
        "resolved",
        "median_days",
        "within_deadline",
    ]
    assert rows[1][:4] == ["overall", "All concerns", "fewer than 10", "fewer than 10"]
    assert timezone.localdate().isoformat() in export["Content-Disposition"]
