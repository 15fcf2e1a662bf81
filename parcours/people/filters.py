import django_filters
from django.db.models import Exists, OuterRef

from parcours.core.filters import AllowedFilterSet
from parcours.core.search import matching_words
from parcours.partners.models import Partner

from .enums import Benefit, Direction, PersonStatus
from .models import Neighbourhood, Person, Referral

SORTS = {
    "nom": ("last_name", "first_name", "pk"),
    "-nom": ("-last_name", "-first_name", "-pk"),
    "naissance": ("birth_date", "pk"),
    "-naissance": ("-birth_date", "pk"),
    "recent": ("-created_at", "-pk"),
}


class PersonFilter(AllowedFilterSet):
    """The people list's search, filters and sort; the exports use the same one. Each
    role keeps those `policy.people_list_filters_for` allows."""

    q = django_filters.CharFilter(label="Nom ou prénom", method="search")
    status = django_filters.ChoiceFilter(
        label="Situation", choices=PersonStatus.choices, empty_label="Toutes"
    )
    neighbourhood = django_filters.ModelChoiceFilter(
        label="Quartier", queryset=Neighbourhood.objects.none(), empty_label="Tous"
    )
    referrer = django_filters.ModelChoiceFilter(
        label="Orientée par",
        queryset=Partner.objects.none(),
        method="referred_by",
        empty_label="Toutes les structures",
    )
    benefit = django_filters.ChoiceFilter(
        label="Ressources", choices=Benefit.choices, empty_label="Toutes"
    )
    tri = django_filters.ChoiceFilter(
        label="Trier par",
        choices=[
            ("nom", "Nom (A → Z)"),
            ("-nom", "Nom (Z → A)"),
            ("naissance", "Date de naissance"),
            ("-naissance", "Date de naissance (récentes d'abord)"),
            ("recent", "Dossiers récents d'abord"),
        ],
        method="sort",
        empty_label=None,
    )

    class Meta:
        model = Person
        fields = ["q", "status", "neighbourhood", "referrer", "benefit"]

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        if "neighbourhood" in self.filters:
            self.filters["neighbourhood"].queryset = Neighbourhood.objects.of_centre(centre)
        if "referrer" in self.filters:
            self.filters["referrer"].queryset = Partner.objects.of_centre(centre)
        for field in self.form.fields.values():
            field.required = False

    @property
    def qs(self):
        people = super().qs
        # Sorting by name unless asked otherwise, so pages are stable.
        if not self.form.cleaned_data.get("tri"):
            people = people.order_by(*SORTS["nom"])
        return people

    def search(self, queryset, name, value):
        return matching_words(queryset, value)

    def referred_by(self, queryset, name, partner):
        referrals = Referral.objects.filter(
            person=OuterRef("pk"), direction=Direction.IN, partner=partner
        )
        return queryset.filter(Exists(referrals))

    def sort(self, queryset, name, value):
        return queryset.order_by(*SORTS.get(value, SORTS["nom"]))
