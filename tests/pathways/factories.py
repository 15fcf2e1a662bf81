import datetime

import factory

from parcours.centres.models import Programme
from parcours.pathways.enums import Axis
from parcours.pathways.models import Appointment, Goal, Pathway

from ..factories import CentreFactory, ProgrammeFactory
from ..people.factories import PersonFactory


class PathwayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pathway

    centre = factory.SubFactory(CentreFactory)
    person = factory.SubFactory(PersonFactory, centre=factory.SelfAttribute("..centre"))
    programme = factory.LazyAttribute(
        lambda o: (
            Programme.objects.filter(centre=o.centre).first() or ProgrammeFactory(centre=o.centre)
        )
    )
    started_on = datetime.date(2025, 9, 15)


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    pathway = factory.SubFactory(PathwayFactory)
    centre = factory.SelfAttribute("pathway.centre")
    person = factory.SelfAttribute("pathway.person")
    starts_at = factory.LazyFunction(lambda: datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC))


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    pathway = factory.SubFactory(PathwayFactory)
    axis = Axis.ISOLATION
    wording = "Sortir de chez moi deux fois par semaine"
