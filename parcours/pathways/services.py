from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from parcours.people.services import person_status_refresh
from parcours.workshops.enums import EnrolmentStatus
from parcours.workshops.services import enrolment_end

from .models import PathwayExit


@transaction.atomic
def pathway_close(*, pathway, ended_on, outcome, comment, by):
    """End a pathway with its outcome; the person's workshop enrolments end with it."""
    if pathway.ended_on is not None:
        raise ValidationError("Ce parcours est déjà clos.")
    if ended_on < pathway.started_on:
        raise ValidationError("La sortie ne peut pas précéder l'entrée dans le parcours.")
    if outcome.centre_id not in (None, pathway.centre_id):
        raise ValidationError("Cette issue n'appartient pas au centre.")
    pathway.ended_on = ended_on
    pathway.save(update_fields=["ended_on"])
    PathwayExit.objects.create(pathway=pathway, outcome=outcome, comment=comment, recorded_by=by)
    # The workshops of this programme end with it (those of another programme the
    # person still follows do not); each freed place goes to the waiting list.
    enrolments = pathway.person.enrolments.exclude(status=EnrolmentStatus.ENDED).filter(
        Q(workshop__programme=pathway.programme) | Q(workshop__programme=None)
    )
    for enrolment in enrolments.select_related("workshop"):
        enrolment_end(enrolment=enrolment, ends_on=ended_on, by=by)
    person_status_refresh(person=pathway.person)
    return pathway
