import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from parcours.audit.registry import ALL
from parcours.centres.enums import SchoolZone
from parcours.centres.models import Centre, CentreScopedQuerySet, Place, Programme
from parcours.core.states import StateMachine, StatusChange
from parcours.partners.models import Partner
from parcours.people.models import Person

from .enums import EnrolmentStatus, Presence, SessionStatus, Weekday, WorkshopKind


class Workshop(models.Model):
    """A collective activity: a weekly workshop, a yearly series, outings, a drop-in desk."""

    centre = models.ForeignKey(
        Centre, verbose_name="centre", on_delete=models.PROTECT, related_name="workshops"
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name="action",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workshops",
    )
    name = models.CharField("nom", max_length=200)
    kind = models.CharField(
        "type", max_length=10, choices=WorkshopKind, default=WorkshopKind.WEEKLY
    )
    description = models.TextField("description", blank=True, max_length=5000)
    place = models.ForeignKey(
        Place,
        verbose_name="lieu",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name="en lien avec",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workshops",
        help_text="Le partenaire avec qui l'atelier est mené, s'il y en a un.",
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="animateurs", blank=True, related_name="workshops"
    )
    capacity = models.PositiveSmallIntegerField(
        "places", null=True, blank=True, help_text="Laisser vide s'il n'y a pas de limite."
    )
    runs_in_school_holidays = models.BooleanField(
        "a lieu pendant les vacances scolaires", default=False
    )
    yearly_target = models.PositiveSmallIntegerField(
        "séances prévues dans l'année",
        null=True,
        blank=True,
        help_text="Pour un cycle ou des sorties : le nombre de séances promis aux financeurs.",
    )
    is_active = models.BooleanField("en activité", default=True)

    objects = CentreScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "atelier"
        verbose_name_plural = "ateliers"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="workshop_name_per_centre")
        ]

    def __str__(self):
        return self.name

    def has_room(self):
        if self.capacity is None:
            return True
        return self.enrolments.filter(status=EnrolmentStatus.ACTIVE).count() < self.capacity


class TimetableSlot(models.Model):
    """A weekly slot of a workshop: sessions are generated from it."""

    workshop = models.ForeignKey(
        Workshop, verbose_name="atelier", on_delete=models.CASCADE, related_name="slots"
    )
    weekday = models.PositiveSmallIntegerField("jour", choices=Weekday)
    starts_at = models.TimeField("début")
    ends_at = models.TimeField("fin")

    class Meta:
        verbose_name = "créneau hebdomadaire"
        verbose_name_plural = "créneaux hebdomadaires"
        ordering = ["weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def centre_id(self):
        return self.workshop.centre_id


class SchoolHoliday(models.Model):
    """A school holiday period of a zone, from the official calendar (no class from
    `starts_on` to `ends_on`, both included)."""

    zone = models.CharField("zone", max_length=1, choices=SchoolZone)
    name = models.CharField("vacances", max_length=100)
    starts_on = models.DateField("premier jour sans classe")
    ends_on = models.DateField("dernier jour sans classe")

    class Meta:
        verbose_name = "vacances scolaires"
        verbose_name_plural = "vacances scolaires"
        ordering = ["starts_on", "zone"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "starts_on"], name="one_holiday_start_per_zone")
        ]

    def __str__(self):
        return (
            f"{self.name} ({self.get_zone_display()}) : "
            f"{self.starts_on:%d/%m/%Y} – {self.ends_on:%d/%m/%Y}"
        )


class ClosurePeriod(models.Model):
    """Days the centre itself is closed (a training day, summer closure…)."""

    centre = models.ForeignKey(
        Centre, verbose_name="centre", on_delete=models.PROTECT, related_name="closures"
    )
    starts_on = models.DateField("du")
    ends_on = models.DateField("au")
    reason = models.CharField("motif", max_length=200)

    objects = CentreScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "fermeture du centre"
        verbose_name_plural = "fermetures du centre"
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="closure_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.reason} ({self.starts_on:%d/%m/%Y} – {self.ends_on:%d/%m/%Y})"


class SessionQuerySet(CentreScopedQuerySet):
    def not_cancelled(self):
        return self.exclude(status=SessionStatus.CANCELLED)

    def missing_attendance(self, today=None):
        """Past sessions, not cancelled, whose attendance nobody recorded."""
        today = today or timezone.localdate()
        return self.filter(date__lt=today, status=SessionStatus.PLANNED)

    def run_by(self, user):
        """The sessions of the workshops `user` (or a user's id) facilitates."""
        return self.filter(workshop__facilitators=user)


class Session(StateMachine, models.Model):
    """One dated occurrence of a workshop (séance). Moving it to another day or place
    changes its date, not its status."""

    centre = models.ForeignKey(
        Centre, verbose_name="centre", on_delete=models.PROTECT, related_name="sessions"
    )
    workshop = models.ForeignKey(
        Workshop, verbose_name="atelier", on_delete=models.PROTECT, related_name="sessions"
    )
    date = models.DateField("date")
    starts_at = models.TimeField("début")
    ends_at = models.TimeField("fin")
    place = models.ForeignKey(
        Place,
        verbose_name="lieu",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        "état", max_length=10, choices=SessionStatus, default=SessionStatus.PLANNED
    )
    cancel_reason = models.CharField("motif d'annulation", max_length=200, blank=True)
    # Generated sessions remember their slot and original date, so that planning the
    # same period again finds them even after they were moved.
    slot = models.ForeignKey(
        TimetableSlot, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    planned_date = models.DateField(null=True, blank=True, editable=False)
    edited = models.BooleanField("modifiée à la main", default=False, editable=False)
    attendance_recorded_at = models.DateTimeField("émargement le", null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    # A cancellation's reason may name someone ("Mme X hospitalisée"): not in the trail.
    AUDIT_MASKED_FIELDS = ("cancel_reason",)

    class Meta:
        verbose_name = "séance"
        verbose_name_plural = "séances"
        ordering = ["date", "starts_at"]
        indexes = [
            models.Index(fields=["centre", "date"], name="session_centre_date"),
            models.Index(fields=["workshop", "date"], name="session_workshop_date"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "planned_date"], name="one_generated_session_per_slot_and_day"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.workshop} — {self.date:%d/%m/%Y} {self.starts_at:%H:%M}"

    TRANSITIONS = {
        # Recording attendance holds it; cancelling needs a reason.
        SessionStatus.PLANNED: {SessionStatus.HELD, SessionStatus.CANCELLED},
        # A session recorded with nobody present may still be cancelled (see
        # services.session_cancel); a cancelled one takes no attendance.
        SessionStatus.HELD: {SessionStatus.CANCELLED},
    }

    @property
    def where(self):
        return self.place or self.workshop.place


class EnrolmentQuerySet(models.QuerySet):
    def in_workshops_run_by(self, user):
        """The enrolments in the workshops `user` facilitates."""
        return self.filter(workshop__facilitators=user)

    def active_on(self, day):
        return self.filter(status=EnrolmentStatus.ACTIVE, starts_on__lte=day).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day)
        )


class Enrolment(StateMachine, models.Model):
    """A person registered to a workshop, or waiting for a place."""

    workshop = models.ForeignKey(
        Workshop, verbose_name="atelier", on_delete=models.PROTECT, related_name="enrolments"
    )
    person = models.ForeignKey(
        Person, verbose_name="personne", on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(
        "état", max_length=10, choices=EnrolmentStatus, default=EnrolmentStatus.ACTIVE
    )
    starts_on = models.DateField("depuis le")
    ends_on = models.DateField("jusqu'au", null=True, blank=True)
    created_at = models.DateTimeField("demandée le", auto_now_add=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription"
        verbose_name_plural = "inscriptions"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "person"],
                condition=~Q(status=EnrolmentStatus.ENDED),
                name="one_current_enrolment_per_workshop",
            )
        ]

    def __str__(self):
        return f"Inscription n° {self.pk}"

    TRANSITIONS = {
        # A freed place goes to the first person waiting (services.enrolment_end).
        EnrolmentStatus.WAITING: {EnrolmentStatus.ACTIVE, EnrolmentStatus.ENDED},
        EnrolmentStatus.ACTIVE: {EnrolmentStatus.ENDED},
    }

    @property
    def centre_id(self):
        return self.workshop.centre_id


class SessionTransition(StatusChange):
    """One row per status change of a session: who, when, from what to what, why."""

    session = models.ForeignKey(
        Session, verbose_name="séance", on_delete=models.PROTECT, related_name="transitions"
    )
    from_status = models.CharField("avant", max_length=10, choices=SessionStatus)
    to_status = models.CharField("après", max_length=10, choices=SessionStatus)

    class Meta(StatusChange.Meta):
        verbose_name = "changement d'état d'une séance"
        verbose_name_plural = "changements d'état des séances"


class EnrolmentTransition(StatusChange):
    """One row per status change of an enrolment, automatic promotions from the waiting
    list included; part of the person's file."""

    enrolment = models.ForeignKey(
        Enrolment, verbose_name="inscription", on_delete=models.PROTECT, related_name="transitions"
    )
    from_status = models.CharField("avant", max_length=10, choices=EnrolmentStatus)
    to_status = models.CharField("après", max_length=10, choices=EnrolmentStatus)

    class Meta(StatusChange.Meta):
        verbose_name = "changement d'état d'une inscription"
        verbose_name_plural = "changements d'état des inscriptions"


class Attendance(models.Model):
    """Who was at a session: present, absent or excused; a walk-in is present without
    being enrolled."""

    session = models.ForeignKey(
        Session, verbose_name="séance", on_delete=models.PROTECT, related_name="attendances"
    )
    person = models.ForeignKey(
        Person, verbose_name="personne", on_delete=models.PROTECT, related_name="attendances"
    )
    presence = models.CharField("présence", max_length=10, choices=Presence)
    walk_in = models.BooleanField("venue sans inscription", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="noté par",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField("noté le", auto_now=True)

    class Meta:
        verbose_name = "présence"
        verbose_name_plural = "présences"
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="one_mark_per_person")
        ]
        indexes = [models.Index(fields=["person", "session"], name="attendance_person")]

    def __str__(self):
        return f"Présence n° {self.pk}"

    @property
    def centre_id(self):
        return self.session.centre_id


def enrolled_in_workshops_run_by(user):
    """Condition on Person: currently enrolled in a workshop `user` facilitates (a
    facilitator's people). A condition rather than a Person queryset method because
    people is the base workshops builds on: it knows nothing of enrolments."""
    return Exists(
        Enrolment.objects.in_workshops_run_by(user).filter(
            person=OuterRef("pk"), status=EnrolmentStatus.ACTIVE
        )
    )


def new_feed_token():
    import secrets  # imported here so that this feature stays one block at the end

    # 32 random bytes: the token is the only key to the feed, it must not be guessable.
    return secrets.token_urlsafe(32)


class CalendarFeedQuerySet(CentreScopedQuerySet):
    def live(self):
        return self.filter(revoked_at__isnull=True)


class CalendarFeed(models.Model):
    """A secret calendar (.ics) address that a phone subscribes to: either a facilitator's
    own feed (the sessions of the workshops they run) or one workshop's feed. Whoever
    has the address reads it without logging in, so it can be revoked."""

    centre = models.ForeignKey(
        Centre, verbose_name="centre", on_delete=models.PROTECT, related_name="calendar_feeds"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="membre de l'équipe",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calendar_feeds",
        help_text="Pour un agenda personnel : les séances des ateliers que la personne anime.",
    )
    workshop = models.ForeignKey(
        Workshop,
        verbose_name="atelier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calendar_feeds",
        help_text="Pour l'agenda d'un atelier : toutes ses séances.",
    )
    token = models.CharField(
        "clé secrète", max_length=64, unique=True, default=new_feed_token, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créé par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    # The token is the feed's password: the audit trail records that a feed was
    # created or revoked, never its address.
    AUDIT_EXCLUDED_FIELDS = ("token",)

    class Meta:
        verbose_name = "agenda en ligne"
        verbose_name_plural = "agendas en ligne"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False, workshop__isnull=True)
                | Q(owner__isnull=True, workshop__isnull=False),
                name="feed_of_an_owner_or_a_workshop",
            ),
            # One live address per facilitator and per workshop: a new one is made
            # after revoking the old, so a leaked address never stays in use unnoticed.
            models.UniqueConstraint(
                fields=["centre", "owner"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_feed_per_owner",
            ),
            models.UniqueConstraint(
                fields=["workshop"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_feed_per_workshop",
            ),
        ]

    def __str__(self):
        return f"Agenda en ligne n° {self.pk}"

    def revoke(self, now=None):
        """Stop serving the feed; a revoked feed is never served again."""
        if self.revoked_at is None:
            self.revoked_at = now or datetime.datetime.now(datetime.UTC)
            self.save(update_fields=["revoked_at"])

    def sessions(self, today):
        """The sessions the feed shows: from 60 days ago to a year ahead (a phone keeps
        what it already fetched; older sessions need not be sent again)."""
        sessions = Session.objects.of_centre(self.centre_id).filter(
            date__gte=today - datetime.timedelta(days=60),
            date__lte=today + datetime.timedelta(days=365),
        )
        if self.workshop_id:
            sessions = sessions.filter(workshop_id=self.workshop_id)
        else:
            sessions = sessions.run_by(self.owner_id)
        return sessions.select_related("workshop__place", "place")


# Vigilance.


class VigilanceFollowUp(models.Model):
    """Someone of the team followed up on a person who kept missing their workshops (a
    call, a visit, a message): the person leaves the list of people to watch until a new
    run of absences (see vigilance.people_to_watch)."""

    person = models.ForeignKey(
        Person,
        verbose_name="personne",
        on_delete=models.PROTECT,
        related_name="vigilance_follow_ups",
    )
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="noté par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    noted_at = models.DateTimeField("noté le", default=timezone.now)
    note = models.TextField("suivi", max_length=2000)

    # What was said to a fragile person is part of their file: the trail records that a
    # follow-up was noted, never its text.
    AUDIT_MASKED_FIELDS = ALL

    class Meta:
        verbose_name = "suivi de vigilance"
        verbose_name_plural = "suivis de vigilance"
        ordering = ["-noted_at", "-pk"]

    def __str__(self):
        return f"Suivi de vigilance n° {self.pk}"

    @property
    def centre_id(self):
        return self.person.centre_id
