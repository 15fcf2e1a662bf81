import factory

from parcours.accounts.models import User
from parcours.centres import services
from parcours.centres.enums import Role
from parcours.centres.models import Centre, Membership, Place, Programme

PASSWORD = "Un-mot-de-passe-solide-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.test")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre

    name = factory.Sequence(lambda n: f"Centre social n° {n}")
    slug = factory.Sequence(lambda n: f"centre-{n}")
    city = "Thionville"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"Action {n}")
    slug = factory.Sequence(lambda n: f"action-{n}")


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"Salle {n}")
    address = "1 rue de l'Exemple"


def member(centre, role=Role.COORDINATOR, **user_fields):
    """A user with `role` in `centre`, through the same service the app uses."""
    user = UserFactory(**user_fields)
    services.member_add(
        centre=centre,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        role=role,
    )
    user.refresh_from_db()
    return user


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    centre = factory.SubFactory(CentreFactory)
    role = Role.COORDINATOR
