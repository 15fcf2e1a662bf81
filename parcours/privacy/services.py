"""Retention, anonymisation, erasure and the purge of the audit trail.

Every change of one file is one transaction: a failure leaves the file as it was, and
the daily command goes on with the next file. Deleting audit rows happens here and
nowhere else (`AppendOnlyQuerySet.purge`).
"""

import datetime
import logging
from dataclasses import dataclass, field

from auditlog.context import disable_auditlog
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import F, Q
from django.utils import timezone

from parcours.audit.models import AuditEvent, SecurityEvent, purge_allowed
from parcours.centres.models import Centre
from parcours.core.search import name_key
from parcours.people import file
from parcours.people.models import Person
from parcours.workshops.enums import EnrolmentStatus
from parcours.workshops.models import Enrolment
from parcours.workshops.services import enrolment_end

from .enums import ErasureOutcome
from .models import ErasureRequest, LegalHold
from .retention import add_months, coarse_birth_date, deadlines, with_last_contact
from .subject_access import person_audit_rows

logger = logging.getLogger(__name__)

ANONYMOUS = "Anonyme"

# What an anonymised file keeps: the keys, and what the annual reports count (sex,
# neighbourhood and its QPV flag, household, income, French and education levels,
# disability, status) with a coarsened birth date (see retention.coarse_birth_date).
# Every other field of Person is emptied below; a test checks that each field is in
# one list or the other, so a new field cannot slip through.
PERSON_KEPT = {
    "id",
    "centre",
    "sex",
    "birth_date",
    "neighbourhood",
    "household",
    "benefit",
    "french_level",
    "education_level",
    "disability_recognised",
    "status",
    "search_key",
    "archived_on",
    "anonymised_on",
    "retention_listed_on",
    "version",
    "created_at",
    "updated_at",
}
PERSON_EMPTIED = {
    "last_name": ANONYMOUS,
    "first_name": "",
    "phone": "",
    "email": "",
    "address": "",
    "postcode": "",
    "city": "",
    "children_count": 0,
    "children_ages": "",
    "rsa_orientation": "",
    "rights_end_on": None,
    "difficulty_financial": False,
    "difficulty_health": False,
    "difficulty_housing": False,
    "difficulty_isolation": False,
    "difficulty_language": False,
    "difficulty_mobility": False,
    "difficulty_childcare": False,
    "rsa_referent_name": "",
    "rsa_referent_partner": None,
    "rsa_referent_phone": "",
    "rsa_referent_email": "",
    "notes": "",
}


def _log(person, *, by, what):
    """One audit row saying what happened to the file (its number only)."""
    return AuditEvent.objects.log_create(
        person,
        action=AuditEvent.Action.UPDATE,
        force_log=True,
        actor=by,
        changes=None,
        additional_data={"privacy": what},
    )


def _locked(person):
    """The file, read again under a row lock, so that two runs never act twice."""
    return Person.objects.select_for_update().get(pk=person.pk)


@transaction.atomic
def person_archive(*, person, today, by=None):
    """Archive a file: it leaves every list; its current enrolments end today (their
    places go to the people waiting). Does nothing to a file already archived."""
    person = _locked(person)
    if person.archived_on is not None:
        return False
    current = Enrolment.objects.filter(person=person).exclude(status=EnrolmentStatus.ENDED)
    for enrolment in current.select_related("workshop"):
        enrolment_end(enrolment=enrolment, ends_on=today, by=by)
    # The version moves too: an edit form left open on the file cannot save it back.
    Person.objects.filter(pk=person.pk).update(archived_on=today, version=F("version") + 1)
    _log(person, by=by, what="archived")
    return True


def legal_reasons(person, today):
    """Why the file must be kept, in plain French (empty: nothing keeps it):
    - a pathway still open (the centre still follows the person);
    - an RSA engagement contract (CER) running today (the Département may ask for it);
    - a legal hold recorded by the coordinator and not lifted.
    For an archived file, only a legal hold: the centre no longer follows the person,
    and a pathway left open or a contract is a stale record (as for the retention's
    anonymisation, `retention_apply`)."""
    if person.archived_on is not None:
        return hold_reasons(person)
    reasons = [
        f"parcours en cours depuis le {pathway.started_on:%d/%m/%Y}"
        for pathway in person.pathways.filter(ended_on__isnull=True).order_by("started_on")
    ]
    reasons += [
        f"contrat d'engagement RSA en cours jusqu'au {contract.ends_on:%d/%m/%Y}"
        for contract in person.rsa_contracts.filter(starts_on__lte=today, ends_on__gte=today)
    ]
    return reasons + hold_reasons(person)


def hold_reasons(person):
    """The legal holds standing on the file, in plain French, by their date only: the
    typed reason may tell about the person's situation, and these sentences are stored
    in an erasure request's refusal, its audit row and the daily command's output."""
    return [
        f"conservation pour motif légal décidée le {hold.recorded_on:%d/%m/%Y}"
        for hold in person.legal_holds.standing()
    ]


@transaction.atomic
def person_anonymise(*, person, today, by=None):
    """Anonymise a file: every personal field, note and free text of the file and of
    its records is emptied or deleted, with its rows of the audit trail; what past
    reports count stays (PERSON_KEPT, and the dates, states, partners and scores of its
    referrals, pathways, appointments, assessments and attendances), so a past year's
    report gives the same figures. One audit row then records that it was done.
    Does nothing to a file already anonymised."""
    person = _locked(person)
    if person.anonymised_on is not None:
        return False
    entries = person.pathways.values_list("started_on", flat=True)
    # The trail keeps no row about the file, and writes none while it is emptied.
    with disable_auditlog():
        Person.objects.filter(pk=person.pk).update(
            **PERSON_EMPTIED,
            search_key=name_key(ANONYMOUS, ""),
            birth_date=coarse_birth_date(person.birth_date, list(entries)),
            archived_on=person.archived_on or today,
            anonymised_on=today,
            version=F("version") + 1,
        )
        for part in file.parts():
            rows = part.rows_of(person)
            if part.erased:
                # Deleted without being read (a plain delete loads each row for the
                # signals, which decrypts it): erasure must work even when the key is
                # lost.
                rows._raw_delete(rows.db)
            elif part.emptied:
                rows.update(**part.emptied)
        person_audit_rows(person).purge()
    _log(person, by=by, what="anonymised")
    return True


@transaction.atomic
def erasure_request_record(*, person, requested_on, channel, by, today):
    """Record an erasure request and answer it: the file is anonymised at once unless
    a legal reason keeps it (`legal_reasons`), in which case the refusal and its
    reasons are recorded. Either way the request stays, audited."""
    reasons = legal_reasons(person, today)
    request = ErasureRequest.objects.create(
        person=person,
        requested_on=requested_on,
        channel=channel,
        outcome=ErasureOutcome.REFUSED if reasons else ErasureOutcome.DONE,
        refusal_reason="; ".join(reasons),
        recorded_by=by,
    )
    if not reasons:
        person_anonymise(person=person, today=today, by=by)
    return request


@transaction.atomic
def legal_hold_record(*, person, reason, by, today):
    return LegalHold.objects.create(person=person, reason=reason, recorded_by=by, recorded_on=today)


@transaction.atomic
def legal_hold_lift(*, hold, today):
    if hold.lifted_on is None:
        hold.lifted_on = today
        hold.save(update_fields=["lifted_on"])
    return hold


# The daily command


@dataclass
class RetentionRun:
    """What `retention_apply` found (and, in a wet run, did) for one centre."""

    centre: Centre
    today: datetime.date
    warned: list = field(default_factory=list)  # (person id, last contact, archive day)
    archived: list = field(default_factory=list)  # (person id, last contact)
    anonymised: list = field(default_factory=list)  # (person id, archived on)
    kept: list = field(default_factory=list)  # (person id, reasons)
    failed: list = field(default_factory=list)  # (person id, what failed)
    audit_before: datetime.datetime | None = None
    audit_rows: int = 0
    security_rows: int = 0


def retention_apply(*, centre, today, wet_run=False):
    """Find the centre's files to list, archive and anonymise on `today` and its audit
    rows past their period; act only if `wet_run`. Running it again the same day finds
    nothing more to do."""
    run = RetentionRun(centre=centre, today=today)
    limits = deadlines(centre, today)
    current = with_last_contact(Person.objects.of_centre(centre).current()).order_by("pk")
    warn = limits.warn_if_last_contact_on_or_before
    newly_listed = []
    for person in current.filter(last_contact__lte=warn):
        archive_on = limits.archive_date(person.last_contact, person.retention_listed_on)
        if archive_on > today:
            run.warned.append((person.pk, person.last_contact, archive_on))
            if person.retention_listed_on is None:
                newly_listed.append(person.pk)
            continue
        if not wet_run or _each_file(run, person, "archivage", person_archive, today):
            run.archived.append((person.pk, person.last_contact))
    if wet_run:
        current.filter(pk__in=newly_listed).update(retention_listed_on=today)
        # A contact since the listing: the file is no longer listed.
        current.filter(retention_listed_on__isnull=False, last_contact__gt=warn).update(
            retention_listed_on=None
        )
    # Only a legal hold keeps an archived file from anonymisation (`legal_reasons`).
    archived = (
        Person.objects.of_centre(centre)
        .filter(anonymised_on__isnull=True, archived_on__isnull=False)
        .filter(archived_on__lte=limits.anonymise_if_archived_on_or_before)
        .order_by("pk")
    )
    for person in archived:
        reasons = legal_reasons(person, today)
        if reasons:
            run.kept.append((person.pk, reasons))
            continue
        if not wet_run or _each_file(run, person, "anonymisation", person_anonymise, today):
            run.anonymised.append((person.pk, person.archived_on))
    run.audit_before = _months_ago(today, centre.audit_retention_months)
    run.audit_rows, run.security_rows = _purge(Q(centre=centre), run.audit_before, wet_run)
    return run


def _each_file(run, person, what, act, today):
    """Act on one file in its own transaction; True when done. A failure leaves that
    file as it was and the run goes on with the next one, so that one broken file
    never stops the retention of all the others. The log names the file by number and
    the error by its kind only: a database error's message may quote a row's values."""
    try:
        with transaction.atomic():
            act(person=person, today=today)
    except Exception as error:
        logger.error("Retention: %s of file %s failed (%s)", what, person.pk, type(error).__name__)
        run.failed.append((person.pk, what))
        return False
    return True


def _months_ago(today, months):
    """The first moment of the day `months` before `today`, in the centre's time zone:
    rows older than it are past their period."""
    return datetime.datetime.combine(
        add_months(today, -months), datetime.time(), tzinfo=timezone.get_current_timezone()
    )


@transaction.atomic
def _purge(where, before, wet_run):
    audit = AuditEvent.objects.filter(where, timestamp__lt=before)
    security = SecurityEvent.objects.filter(where, timestamp__lt=before)
    counts = (audit.count(), security.count())
    if wet_run:
        audit.purge()
        security.purge()
    return counts


def audit_purge_without_centre(*, today, wet_run=False):
    """The rows of no centre past settings.AUDIT_RETENTION_MONTHS: audit and security
    rows (failed logins before choosing a centre, say) and the login records django-axes
    keeps (address, browser and the e-mail typed, for each login and lockout):
    (before, audit rows, security rows, login records)."""
    before = _months_ago(today, settings.AUDIT_RETENTION_MONTHS)
    return (
        before,
        *_purge(Q(centre__isnull=True), before, wet_run),
        _purge_login_records(before, wet_run),
    )


@transaction.atomic
def _purge_login_records(before, wet_run):
    records = [
        model.objects.filter(attempt_time__lt=before)
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    ]
    count = sum(rows.count() for rows in records)
    if wet_run:
        # Protected like the trail on PostgreSQL (audit migration 0006).
        with purge_allowed(DEFAULT_DB_ALIAS):
            for rows in records:
                rows.delete()
    return count
