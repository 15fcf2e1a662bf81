"""Turn the old consent fields of a file (`Person.consent_on`, `consent_processing`,
`consent_sharing`, `consent_sharing_scope`) into lines of the register, before
`people.0007_remove_person_consent_fields` drops them.

- processing agreed: an agreement to the centre's processing;
- sharing agreed ("avec les partenaires"): an agreement to share with each partner that
  referred the person, and to the bilan for the RSA referent (the old bilan gave the
  referent the pathway's details on that same consent), each keeping the old text of
  what was agreed. Relays to other partners then need a new, specific agreement.

Dated from `consent_on`, or the file's creation when it was left empty; recorded by
nobody (the register shows "reprise de l'ancien dossier").
"""

from django.db import migrations

SCOPE_PREFIX = "Repris de l'ancien dossier"


def from_person_booleans(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    Referral = apps.get_model("people", "Referral")
    ConsentRecord = apps.get_model("consent", "ConsentRecord")
    referrers = {}
    for person_id, partner_id in (
        Referral.objects.filter(direction="in", partner__isnull=False)
        .order_by("received_on", "pk")
        .values_list("person_id", "partner_id")
    ):
        partners = referrers.setdefault(person_id, [])
        if partner_id not in partners:
            partners.append(partner_id)
    rows = []
    people = Person.objects.filter(consent_processing=True) | Person.objects.filter(
        consent_sharing=True
    )
    for person in people.order_by("pk"):
        on = person.consent_on or person.created_at.date()
        scope = SCOPE_PREFIX + (
            f" : {person.consent_sharing_scope.strip()}"
            if person.consent_sharing_scope.strip()
            else "."
        )

        def line(purpose, partner_id=None, scope=scope):
            return ConsentRecord(
                centre_id=person.centre_id,
                person_id=person.pk,
                purpose=purpose,
                partner_id=partner_id,
                answer="agreed",
                on=on,
                scope=scope,
            )

        if person.consent_processing:
            rows.append(line("processing", scope=f"{SCOPE_PREFIX}."))
        if person.consent_sharing:
            rows += [line("share_partner", partner) for partner in referrers.get(person.pk, [])]
            rows.append(line("rsa_bilan"))
    ConsentRecord.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0001_initial"),
        ("people", "0006_retention_and_version"),
    ]

    operations = [
        # Going back leaves the register as it is: the old fields come back empty and
        # the register, which is the history, is not rewritten into them.
        migrations.RunPython(from_person_booleans, migrations.RunPython.noop),
    ]
