import pytest

from parcours.people.enums import PersonStatus
from parcours.people.services import person_status_derive


@pytest.mark.parametrize(
    ("open_pathway", "waiting_referral", "pathway", "status"),
    [
        (True, True, True, PersonStatus.ACTIVE),
        (True, False, True, PersonStatus.ACTIVE),
        (False, True, True, PersonStatus.REFERRED),
        (False, True, False, PersonStatus.REFERRED),
        (False, False, True, PersonStatus.EXITED),
        (False, False, False, PersonStatus.NOT_ADMITTED),
    ],
)
def test_it_derives_a_persons_situation_from_their_pathways_and_waiting_referrals(
    open_pathway, waiting_referral, pathway, status
):
    assert (
        person_status_derive(
            has_open_pathway=open_pathway,
            has_waiting_referral=waiting_referral,
            has_pathway=pathway,
        )
        == status
    )
