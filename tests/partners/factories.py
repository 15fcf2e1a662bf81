import factory

from parcours.partners.enums import PartnerKind
from parcours.partners.models import Partner, PartnerContact

from ..factories import CentreFactory


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"Structure partenaire n° {n}")
    kind = PartnerKind.ASSOCIATION
    city = "Thionville"

    class Params:
        employment = factory.Trait(kind=PartnerKind.EMPLOYMENT, theme_employment=True)
        addictions = factory.Trait(kind=PartnerKind.CSAPA, theme_addictions=True, theme_health=True)


class PartnerContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerContact

    partner = factory.SubFactory(PartnerFactory)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    job_title = "assistante sociale"
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
