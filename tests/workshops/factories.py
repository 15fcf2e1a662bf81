import datetime

import factory

from parcours.workshops.enums import EnrolmentStatus
from parcours.workshops.models import Enrolment, Session, TimetableSlot, Workshop

from ..factories import CentreFactory
from ..people.factories import PersonFactory


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"Atelier {n}")


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimetableSlot

    workshop = factory.SubFactory(WorkshopFactory)
    weekday = 0
    starts_at = datetime.time(14)
    ends_at = datetime.time(16)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    workshop = factory.SubFactory(WorkshopFactory)
    centre = factory.SelfAttribute("workshop.centre")
    date = datetime.date(2026, 3, 2)
    starts_at = datetime.time(14)
    ends_at = datetime.time(16)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    workshop = factory.SubFactory(WorkshopFactory)
    person = factory.SubFactory(PersonFactory, centre=factory.SelfAttribute("..workshop.centre"))
    starts_on = datetime.date(2025, 9, 1)
    status = EnrolmentStatus.ACTIVE
