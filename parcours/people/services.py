from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parcours.pathways.models import Pathway

from .enums import OPEN_REFERRAL_STATUSES, Direction, PersonStatus, ReferralStatus
from .models import Referral, ReferralEvent


@transaction.atomic
def referral_move(*, referral, to_status, by, note="", **fields):
    """Move `referral` to `to_status` along its state machine (`Referral.TRANSITIONS`),
    with its log row (who, when, from, to, `note`), and save the status together with
    the other `fields` the step sets (a decision date, an intake date...). A step the
    machine does not allow raises a ValidationError and writes nothing."""
    if not referral.can_become(to_status):
        raise ValidationError(
            f"Une orientation « {referral.get_status_display()} » ne peut pas passer à "
            f"« {ReferralStatus(to_status).label} »."
        )
    ReferralEvent.objects.create(
        referral=referral, from_status=referral.status, to_status=to_status, by=by, note=note
    )
    referral.status = to_status
    for name, value in fields.items():
        setattr(referral, name, value)
    referral.save(update_fields=["status", *fields])
    return referral


def person_status_refresh(*, person):
    """Recompute a person's stored situation from their pathways and referrals."""
    status = person_status_derive(
        has_open_pathway=person.pathways.filter(ended_on__isnull=True).exists(),
        has_waiting_referral=person.referrals.filter(
            direction=Direction.IN, status__in=OPEN_REFERRAL_STATUSES
        ).exists(),
        has_pathway=person.pathways.exists(),
    )
    if person.status != status:
        person.status = status
        person.save(update_fields=["status", "updated_at"])


def person_status_derive(*, has_open_pathway, has_waiting_referral, has_pathway):
    """The situation a person is in, from their pathways and incoming referrals:
    - in a pathway while one is open;
    - else referred while an incoming referral waits for its intake or decision;
    - else exited once a pathway has ended;
    - else not admitted (every referral closed without a pathway).

    The facts come from the database in `person_status_refresh`, from what was drawn in
    the bench's generator, which writes people in bulk: one rule for both."""
    if has_open_pathway:
        return PersonStatus.ACTIVE
    if has_waiting_referral:
        return PersonStatus.REFERRED
    if has_pathway:
        return PersonStatus.EXITED
    return PersonStatus.NOT_ADMITTED


@transaction.atomic
def referral_receive(*, centre, person, by, **fields):
    """Record an incoming referral for `person` (saved here if new)."""
    if person.pk is None:
        person.centre = centre
        person.save()
    referral = Referral.objects.create(
        centre=centre, person=person, direction=Direction.IN, **fields
    )
    ReferralEvent.objects.create(referral=referral, to_status=ReferralStatus.RECEIVED, by=by)
    person_status_refresh(person=person)
    return referral


@transaction.atomic
def referral_plan_intake(*, referral, intake_on, by):
    referral_move(
        referral=referral, to_status=ReferralStatus.INTAKE_PLANNED, by=by, intake_on=intake_on
    )
    person_status_refresh(person=referral.person)
    return referral


@transaction.atomic
def referral_admit(*, referral, programme, started_on, by):
    """Admission opens the person's pathway in `programme` from `started_on`."""
    referral.check_admission_on(started_on)
    person = referral.person
    if person.pathways.filter(ended_on__isnull=True, programme=programme).exists():
        raise ValidationError(
            "Cette personne a déjà un parcours en cours dans cette action : clôturez-le "
            "avant d'en ouvrir un autre."
        )
    referral_move(
        referral=referral, to_status=ReferralStatus.ADMITTED, by=by, decided_on=started_on
    )
    pathway = Pathway.objects.create(
        centre=referral.centre,
        person=person,
        programme=programme,
        referral=referral,
        started_on=started_on,
    )
    person_status_refresh(person=person)
    return pathway


@transaction.atomic
def referral_close(*, referral, status, reason, by, decided_on=None):
    """End a referral without admission: not admitted (with its reason) or no show."""
    if status not in {ReferralStatus.NOT_ADMITTED, ReferralStatus.NO_SHOW}:
        raise ValidationError("Choisissez « non admise » ou « ne s'est pas présentée ».")
    if status == ReferralStatus.NOT_ADMITTED and not reason.strip():
        raise ValidationError("Indiquez le motif de la non-admission.")
    referral_move(
        referral=referral,
        to_status=status,
        by=by,
        note=reason,
        decided_on=decided_on or timezone.localdate(),
        decision_reason=reason,
    )
    person_status_refresh(person=referral.person)
    return referral
