from django.core.management import call_command

from parcours.consent.enums import Answer, Purpose
from parcours.consent.models import ConsentRecord, NoticeGiven
from parcours.people.models import Person


def test_the_demo_people_have_consents_like_a_real_centre(db):
    call_command("load_demo", quiet_logins=True)
    people = Person.objects.filter(centre__slug="le-lierre")
    received = people.filter(notices_given__isnull=False).distinct().count()
    assert received > 0.8 * people.count()
    in_force = ConsentRecord.objects.in_force()

    def share(purpose):
        return in_force.filter(purpose=purpose).count() / received

    assert share(Purpose.PROCESSING) > 0.8
    assert 0.3 < share(Purpose.SHARE_PARTNER) < 0.7
    assert 0 < share(Purpose.RSA_BILAN) < 0.6
    assert 0.15 < share(Purpose.PHOTOS) < 0.5
    assert ConsentRecord.objects.filter(answer=Answer.WITHDRAWN).count() == 1
    # Each confidential section written holds data the person agreed to.
    noted = people.filter(confidential__isnull=False)
    assert noted.exists()
    assert set(noted.values_list("pk", flat=True)) == set(
        in_force.filter(purpose=Purpose.SENSITIVE).values_list("person_id", flat=True)
    )
    # The demo partner worker has someone who shares with their structure.
    partner_worker_people = people.filter(referrals__referrer_user__email__startswith="partenaire")
    assert in_force.filter(purpose=Purpose.SHARE_PARTNER, person__in=partner_worker_people).exists()
    counts = (ConsentRecord.objects.count(), NoticeGiven.objects.count())
    call_command("load_demo", quiet_logins=True)
    assert (ConsentRecord.objects.count(), NoticeGiven.objects.count()) == counts
