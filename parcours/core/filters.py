"""Lists narrowed only by what the reader may read.

A filter tells which rows match it: a facilitator who may list people by the
structure that referred them learns who was sent by an addiction service, without
ever opening a file. So each list asks the policy which of its parameters a role may
use (`ListFilters`), drops the others from its form, and says on the page which
parameters of the address it ignored, rather than ignoring them silently.
"""

from dataclasses import dataclass

import django_filters

# Parameters of every list that narrow nothing: the page number, and the export format.
NOT_FILTERS = frozenset({"page", "format"})
SORT = "tri"


@dataclass(frozen=True)
class ListFilters:
    """What a role may narrow a list by (its GET parameters) and sort it by (the
    values of `tri`). Nothing by default."""

    filters: frozenset = frozenset()
    sorts: frozenset = frozenset()

    def allows(self, name):
        return name in self.filters or (name == SORT and bool(self.sorts))


def ignored_parameters(query, allowed, labels=None):
    """The labels of the parameters of `query` (a QueryDict) with a value that the list
    does not use for this reader: a filter of another role, a sort it may not ask, or a
    name no list knows. `labels` names the known ones in French."""
    labels = labels or {}
    ignored = []
    for name in query:
        if name in NOT_FILTERS or not any(value.strip() for value in query.getlist(name)):
            continue
        refused_sort = name == SORT and not set(query.getlist(name)) <= allowed.sorts
        if refused_sort or not allowed.allows(name):
            ignored.append(str(labels.get(name, name)))
    return ignored


class AllowedFilterSet(django_filters.FilterSet):
    """A FilterSet keeping only the filters and sorts `allowed` (a ListFilters given by
    the policy): the form shows no other, and `ignored` lists the parameters of the
    query it did not apply, for the page to say so."""

    def __init__(self, data=None, *args, allowed, **kwargs):
        super().__init__(data, *args, **kwargs)
        labels = {name: f.label for name, f in self.filters.items()}
        self.filters = {name: f for name, f in self.filters.items() if allowed.allows(name)}
        if SORT in self.filters:
            sort = self.filters[SORT]
            sort.extra["choices"] = [c for c in sort.extra["choices"] if c[0] in allowed.sorts]
            # A form field built earlier (the class's filter read somewhere) would
            # keep every choice: it is built again from the choices left.
            sort.__dict__.pop("_field", None)
        self.ignored = ignored_parameters(data, allowed, labels) if data is not None else []
