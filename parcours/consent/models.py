"""The consent register (GDPR art. 6, 7, 9 and 13): what each person was informed of,
what they agreed to, purpose by purpose, and what they withdrew.

The register is append-only: an agreement is a row, its withdrawal is a later row of
the same scope (purpose, partner, partner kind), dated from when it takes effect.
What holds on a day is, per scope, the latest row dated on or before it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from parcours.audit.registry import ALL
from parcours.centres.models import Centre, CentreScopedQuerySet
from parcours.partners.enums import PartnerKind
from parcours.people.enums import Direction
from parcours.people.models import Person, Referral

from .enums import Answer, Purpose

SHARING = (Purpose.SHARE_PARTNER, Purpose.SHARE_KIND)


class NoticeGiven(models.Model):
    """The information notice (art. 13) handed to a person, with what it said: the
    centre's settings change, the proof of what the person read must not."""

    centre = models.ForeignKey(Centre, verbose_name="centre", on_delete=models.PROTECT)
    person = models.ForeignKey(
        Person,
        verbose_name="personne",
        on_delete=models.PROTECT,
        related_name="notices_given",
    )
    given_on = models.DateField("remise le")
    # The notice's content when it was given (see notice.notice_content).
    content = models.JSONField("contenu de la notice", editable=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="remise par",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField("enregistrée le", auto_now_add=True)

    objects = CentreScopedQuerySet.as_manager()

    AUDIT_MASKED_FIELDS = ALL

    class Meta:
        verbose_name = "notice d'information remise"
        verbose_name_plural = "notices d'information remises"
        ordering = ["-given_on", "-pk"]

    def __str__(self):
        return f"Notice remise le {self.given_on:%d/%m/%Y}"


class ConsentRecordQuerySet(CentreScopedQuerySet):
    def in_force(self, on=None):
        """Agreements still standing on `on` (today by default): dated on or before it,
        with no withdrawal of the same scope dated after them and on or before it."""
        on = on or timezone.localdate()
        # Coalesce: a scope without a partner must match another without one, and
        # NULL = NULL is never true in SQL.
        withdrawals = (
            ConsentRecord.objects.annotate(partner_key=Coalesce("partner", 0))
            .filter(
                person=OuterRef("person"),
                purpose=OuterRef("purpose"),
                partner_key=Coalesce(OuterRef("partner"), 0),
                partner_kind=OuterRef("partner_kind"),
                answer=Answer.WITHDRAWN,
                on__lte=on,
            )
            .filter(Q(on__gt=OuterRef("on")) | Q(on=OuterRef("on"), pk__gt=OuterRef("pk")))
        )
        return self.filter(answer=Answer.AGREED, on__lte=on).exclude(Exists(withdrawals))

    def covering(self, purpose, partner=None):
        """Rows about `purpose`; for sharing, rows naming `partner` or its kind."""
        if purpose in SHARING:
            if partner is None:
                raise ValueError("Le partage se demande pour un partenaire précis.")
            return self.filter(
                Q(purpose=Purpose.SHARE_PARTNER, partner=partner)
                | Q(purpose=Purpose.SHARE_KIND, partner_kind=partner.kind)
            )
        return self.filter(purpose=purpose)


class ConsentRecord(models.Model):
    """One line of a person's register: they agreed to a purpose, or withdrew it."""

    centre = models.ForeignKey(Centre, verbose_name="centre", on_delete=models.PROTECT)
    person = models.ForeignKey(
        Person,
        verbose_name="personne",
        on_delete=models.PROTECT,
        related_name="consent_records",
    )
    purpose = models.CharField("objet", max_length=20, choices=Purpose)
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name="partenaire",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    partner_kind = models.CharField(
        "type de partenaire", max_length=30, choices=PartnerKind, blank=True
    )
    answer = models.CharField("réponse", max_length=10, choices=Answer, default=Answer.AGREED)
    on = models.DateField("à compter du")
    scope = models.TextField(
        "ce qui a été convenu",
        blank=True,
        max_length=2000,
        help_text="Par exemple : quelles informations, pour quelle démarche.",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="recueilli par",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField("enregistré le", auto_now_add=True)

    objects = ConsentRecordQuerySet.as_manager()

    # The trail records that a line was written, not what it says: even a partner kind
    # (a CSAPA, a victim-support service) tells about the person's situation.
    AUDIT_MASKED_FIELDS = ALL

    class Meta:
        verbose_name = "consentement"
        verbose_name_plural = "consentements"
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["person", "purpose", "on"], name="consent_scope")]
        constraints = [
            # A named partner for a named partner's line, a kind for a kind's, else none.
            models.CheckConstraint(
                condition=(
                    Q(purpose=Purpose.SHARE_PARTNER, partner__isnull=False, partner_kind="")
                    | Q(purpose=Purpose.SHARE_KIND, partner__isnull=True) & ~Q(partner_kind="")
                    | ~Q(purpose__in=SHARING) & Q(partner__isnull=True, partner_kind="")
                ),
                name="consent_scope_fits_purpose",
            )
        ]

    def __str__(self):
        return f"{self.get_answer_display()} : {self.scope_label}"

    @property
    def scope_label(self):
        if self.purpose == Purpose.SHARE_PARTNER:
            return f"partage avec {self.partner}"
        if self.purpose == Purpose.SHARE_KIND:
            return f"partage avec les structures « {self.get_partner_kind_display()} »"
        return self.get_purpose_display()

    def clean(self):
        if self.purpose == Purpose.SHARE_PARTNER and self.partner_id is None:
            raise ValidationError({"partner": "Choisissez le partenaire concerné."})
        if self.purpose == Purpose.SHARE_KIND and not self.partner_kind:
            raise ValidationError({"partner_kind": "Choisissez le type de partenaire concerné."})


class ConsentOverrideQuerySet(CentreScopedQuerySet):
    def in_force(self, *, person, purpose, partner=None, on=None):
        """Overrides for this purpose (and partner) recorded on `on`, today by default:
        an override lets one thing through on the day it was decided, not for ever."""
        on = on or timezone.localdate()
        found = self.filter(person=person, purpose=purpose, at__date=on)
        return found.filter(partner=partner) if partner is not None else found


class ConsentOverride(models.Model):
    """A coordinator passes information on without the person's consent (a legal
    obligation, a danger): the reason is required and the row audited."""

    centre = models.ForeignKey(Centre, verbose_name="centre", on_delete=models.PROTECT)
    person = models.ForeignKey(
        Person,
        verbose_name="personne",
        on_delete=models.PROTECT,
        related_name="consent_overrides",
    )
    purpose = models.CharField("objet", max_length=20, choices=Purpose)
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name="partenaire",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField("motif", max_length=2000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="par", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("le", default=timezone.now)

    objects = ConsentOverrideQuerySet.as_manager()

    # The reason tells about the person's situation: the trail keeps that it exists.
    AUDIT_MASKED_FIELDS = ALL

    class Meta:
        verbose_name = "dérogation au consentement"
        verbose_name_plural = "dérogations au consentement"
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="consent_override_has_reason")
        ]

    def __str__(self):
        return f"Dérogation du {timezone.localtime(self.at):%d/%m/%Y}"

    @property
    def scope_label(self):
        if self.partner_id:
            return f"partage avec {self.partner}"
        return self.get_purpose_display()


def consent_for(person, purpose, partner=None, on=None):
    """The person's agreement in force on `on` (today by default) for `purpose`, or
    None; for sharing, an agreement naming `partner` or its kind. One query.
    Callers ask this one question."""
    found = ConsentRecord.objects.filter(person=person).covering(purpose, partner)
    return found.in_force(on).select_related("partner", "by").first()


def consent_or_override(person, purpose, partner=None, on=None):
    """What lets `purpose` through for `person` on `on`: the agreement in force, else an
    override of that day, else None."""
    return consent_for(person, purpose, partner=partner, on=on) or (
        ConsentOverride.objects.in_force(person=person, purpose=purpose, partner=partner, on=on)
        .select_related("by")
        .first()
    )


def shared_with_referrer(user, on=None):
    """For a queryset of people: whether each agreed to share with a partner through
    which `user` referred them (the partner named, or its kind). A partner worker sees
    the shared part of a file only then."""
    referrals = Referral.objects.filter(
        person=OuterRef(OuterRef("pk")),
        direction=Direction.IN,
        referrer_user=user,
        partner__isnull=False,
    )
    grants = ConsentRecord.objects.in_force(on).filter(
        Q(purpose=Purpose.SHARE_PARTNER, partner__in=referrals.values("partner"))
        | Q(purpose=Purpose.SHARE_KIND, partner_kind__in=referrals.values("partner__kind")),
        person=OuterRef("pk"),
    )
    return Exists(grants)
