import django_otp
import factory
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours import policy
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
    """A user with `role` in `centre`, through the service an accepted invitation uses."""
    user = UserFactory(**user_fields)
    services.membership_grant(user=user, centre=centre, role=role)
    return user


def totp_device(user):
    """The user's confirmed TOTP device, created if they have none (a real one: tests
    compute its codes with `device_code`)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first() or (
        TOTPDevice.objects.create(user=user, name="Téléphone de test", confirmed=True)
    )


def device_code(device, offset=0):
    """The device's 6-digit code now (or `offset` steps of 30 seconds away)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():06d}"


def verified_login(client, user):
    """Log `user` in as at the end of the whole login: password, then, for an account
    that has or needs a second factor, the code of a real confirmed device, recorded on
    the session by django-otp's own `login`. The login flows themselves are tested in
    tests/accounts/."""
    client.force_login(user)
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if has_device or policy.must_use_second_factor(user):
        request = HttpRequest()
        request.session = client.session
        request.user = user
        django_otp.login(request, totp_device(user))
        request.session.save()
    return client


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    centre = factory.SubFactory(CentreFactory)
    role = Role.COORDINATOR
