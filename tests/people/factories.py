import datetime

import factory

from parcours.people.models import Neighbourhood, Person

from ..factories import CentreFactory


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"Quartier {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    centre = factory.SubFactory(CentreFactory)
    last_name = factory.Faker("last_name", locale="fr_FR")
    first_name = factory.Faker("first_name", locale="fr_FR")
    # Wrapped every 150 people (about 40 years): a long session must not reach
    # birth dates in the future, which the importer rightly refuses.
    birth_date = factory.Sequence(
        lambda n: datetime.date(1970, 1, 1) + datetime.timedelta(days=97 * (n % 150))
    )
    phone = "03 53 01 00 00"


def agreed_to_sensitive_data(person, on=datetime.date(2024, 1, 8)):
    """The person's explicit consent to note health, addiction and violence in their
    confidential section (GDPR art. 9.2.a): writing it needs one."""
    from parcours.consent.enums import Purpose
    from parcours.consent.services import consent_record

    consent_record(person=person, purpose=Purpose.SENSITIVE, on=on, by=None)
    return person


def agreed_to_share(person, partner, on=datetime.date(2024, 1, 8)):
    """The person's consent to share with `partner`, which a relay to it needs; kept
    as it is if one is already in force."""
    from parcours.consent.enums import Purpose
    from parcours.consent.models import consent_or_override
    from parcours.consent.services import consent_record

    if consent_or_override(person, Purpose.SHARE_PARTNER, partner) is None:
        consent_record(
            person=person, purpose=Purpose.SHARE_PARTNER, partner=partner, on=on, by=None
        )
    return person
