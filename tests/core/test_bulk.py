from parcours.core.bulk import create_all
from parcours.people.models import Person

from ..people.factories import PersonFactory


def test_create_all_writes_the_rows_and_gives_them_their_ids(centre):
    people = [
        PersonFactory.build(centre=centre, last_name=f"Groupée{n}", phone="03 82 00 00 0{n}")
        for n in range(3)
    ]

    create_all(Person, people)
    later = PersonFactory(centre=centre)

    assert all(person.pk and not person._state.adding for person in people)
    assert later.pk not in {person.pk for person in people}
    stored = {p.pk: p for p in Person.objects.filter(pk__in=[person.pk for person in people])}
    for person in people:
        found = stored[person.pk]
        assert (found.last_name, found.phone, found.centre) == (
            person.last_name,
            person.phone,
            centre,
        )
        assert found.created_at is not None
