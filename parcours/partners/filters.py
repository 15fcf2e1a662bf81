import django_filters

from parcours.core.filters import AllowedFilterSet
from parcours.core.search import matching_words

from .enums import PartnerKind, Theme
from .models import Partner


class PartnerFilter(AllowedFilterSet):
    """The partner directory's search and filters, those
    `policy.partner_list_filters_for` allows."""

    q = django_filters.CharFilter(label="Nom", method="search")
    kind = django_filters.ChoiceFilter(
        label="Type de structure", choices=PartnerKind.choices, empty_label="Tous les types"
    )
    theme = django_filters.ChoiceFilter(
        label="Thème", choices=Theme.choices, method="with_theme", empty_label="Tous les thèmes"
    )

    class Meta:
        model = Partner
        fields = ["q", "kind", "theme"]

    def search(self, queryset, name, value):
        return matching_words(queryset, value)

    def with_theme(self, queryset, name, value):
        return queryset.filter(**{f"theme_{Theme(value).value}": True})
