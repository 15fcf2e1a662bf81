"""Writing the register: a notice given, an agreement, a withdrawal, an override.

Nothing here updates or deletes a row: the register is the history.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .enums import Answer, Purpose
from .models import ConsentOverride, ConsentRecord, NoticeGiven
from .notice import notice_content

FUTURE = "La date ne peut pas être dans le futur : enregistrez ce qui a été dit."


def _check_partner(person, partner):
    if partner is not None and partner.centre_id != person.centre_id:
        raise ValidationError({"partner": "Cette structure n'est pas un partenaire du centre."})


@transaction.atomic
def notice_give(*, person, given_on, by):
    """The notice was handed to `person` on `given_on`: keep what it said that day."""
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": FUTURE})
    return NoticeGiven.objects.create(
        centre_id=person.centre_id,
        person=person,
        given_on=given_on,
        content=notice_content(person.centre),
        by=by,
    )


@transaction.atomic
def consent_record(*, person, purpose, on, by, partner=None, partner_kind="", scope=""):
    """`person` agrees to `purpose` from `on` (for sharing: with `partner`, or with the
    partners of `partner_kind`)."""
    if on > timezone.localdate():
        raise ValidationError({"on": FUTURE})
    _check_partner(person, partner)
    # Only what the purpose asks for: a partner for a named partner, a kind for a kind.
    if purpose != Purpose.SHARE_PARTNER:
        partner = None
    if purpose != Purpose.SHARE_KIND:
        partner_kind = ""
    record = ConsentRecord(
        centre_id=person.centre_id,
        person=person,
        purpose=purpose,
        partner=partner,
        partner_kind=partner_kind,
        answer=Answer.AGREED,
        on=on,
        scope=scope,
        by=by,
    )
    record.clean()
    same_scope = ConsentRecord.objects.filter(
        person=person, purpose=purpose, partner=partner, partner_kind=partner_kind
    )
    if same_scope.in_force(on).exists():
        raise ValidationError(
            f"Un accord est déjà enregistré pour : {record.scope_label}. Pour le "
            "modifier, retirez-le puis enregistrez le nouvel accord."
        )
    record.save()
    return record


@transaction.atomic
def consent_withdraw(*, record, on, by):
    """The person withdraws the agreement `record` from `on`: a new row of the same
    scope; the agreement stays in the history, in force until the day before."""
    if record.answer != Answer.AGREED:
        raise ValidationError("Seul un accord peut être retiré.")
    if on > timezone.localdate():
        raise ValidationError({"on": FUTURE})
    if on < record.on:
        raise ValidationError(
            {"on": f"Le retrait ne peut pas précéder l'accord, donné le {record.on:%d/%m/%Y}."}
        )
    if not ConsentRecord.objects.filter(pk=record.pk).in_force(on).exists():
        raise ValidationError("Cet accord est déjà retiré.")
    return ConsentRecord.objects.create(
        centre_id=record.centre_id,
        person_id=record.person_id,
        purpose=record.purpose,
        partner_id=record.partner_id,
        partner_kind=record.partner_kind,
        answer=Answer.WITHDRAWN,
        on=on,
        by=by,
    )


@transaction.atomic
def override_record(*, person, purpose, reason, by, partner=None):
    """A coordinator lets `purpose` through today without the person's consent; the
    reason is required and the row goes to the audit trail (reason masked)."""
    if not reason.strip():
        raise ValidationError(
            {"reason": "Indiquez le motif : une dérogation au consentement doit être justifiée."}
        )
    _check_partner(person, partner)
    return ConsentOverride.objects.create(
        centre_id=person.centre_id,
        person=person,
        purpose=purpose,
        partner=partner if purpose in (Purpose.SHARE_PARTNER, Purpose.SHARE_KIND) else None,
        reason=reason.strip(),
        by=by,
    )
