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
