from django import forms

from .enums import Role
from .models import Centre, Membership, Place, Programme


class CentreForm(forms.ModelForm):
    class Meta:
        model = Centre
        fields = ["name", "address", "postcode", "city", "department", "school_zone"]


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["name", "slug", "description", "started_on"]
        widgets = {"started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.centre = centre

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        taken = Programme.objects.of_centre(self.instance.centre).filter(slug=slug)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Une autre action du centre a déjà cet identifiant.")
        return slug


class PlaceForm(forms.ModelForm):
    class Meta:
        model = Place
        fields = ["name", "address", "postcode", "city"]

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.centre = centre

    def clean_name(self):
        name = self.cleaned_data["name"]
        taken = Place.objects.of_centre(self.instance.centre).filter(name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Le centre a déjà un lieu de ce nom.")
        return name


class MemberInviteForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail")
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    role = forms.ChoiceField(label="Rôle", choices=Role.choices)


class MemberRoleForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role"]
