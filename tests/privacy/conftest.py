import datetime

import pytest

from parcours.people.models import Person

from ..people.factories import PersonFactory


def at(day):
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)


def file_created(person, day):
    """Pretend the file was created on `day` (created_at is set on insert)."""
    Person.objects.filter(pk=person.pk).update(created_at=at(day))
    person.refresh_from_db()
    return person


@pytest.fixture
def old_file(centre):
    """A file created long ago: its creation is no contact of the periods tested."""

    def make(**fields):
        return file_created(PersonFactory(centre=centre, **fields), datetime.date(2020, 1, 6))

    return make
