"""Case reviews (cellules d'appui): partners meet to review difficult pathways, and a
decision is recorded for each person reviewed."""

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import CaseReview, CaseReviewItem

NOBODY_REVIEWED = "Ajoutez au moins une personne examinée, avec la décision prise."


@transaction.atomic
def case_review_create(*, centre, held_on, participants, other_participants, items):
    """Record a meeting; `items` lists (person, decision) pairs, one per person reviewed."""
    if not items:
        raise ValidationError(NOBODY_REVIEWED)
    people = [person for person, _ in items]
    if len({person.pk for person in people}) != len(people):
        raise ValidationError("Une même personne figure deux fois dans cette cellule d'appui.")
    if any(person.centre_id != centre.pk for person in people) or any(
        contact.centre_id != centre.pk for contact in participants
    ):
        raise ValidationError("Les personnes et les professionnels doivent relever du centre.")
    review = CaseReview.objects.create(
        centre=centre, held_on=held_on, other_participants=other_participants
    )
    review.participants.set(participants)
    # One save per item, not bulk_create: the audit trail hooks on each save.
    for person, decision in items:
        CaseReviewItem.objects.create(review=review, person=person, decision=decision)
    return review


def reviews_of(person):
    """The decisions taken about `person` in case reviews, latest meeting first, each
    with its review (for the person's timeline): one query."""
    return (
        CaseReviewItem.objects.filter(person=person)
        .select_related("review")
        .order_by("-review__held_on", "-pk")
    )
