import re

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from parcours.accounts.models import User
from parcours.core.forms import LongSelect, ModelMultipleChoiceField


def test_it_refuses_an_id_no_column_can_hold(db):
    field = ModelMultipleChoiceField(queryset=User.objects.all())
    with pytest.raises(ValidationError) as refused:
        field.clean(["9" * 40])
    assert refused.value.code == "invalid_pk_value"


def test_a_forged_facilitator_id_gets_an_error_on_the_page_not_a_500(client_for):
    response = client_for("coordinator").post(
        reverse("workshops:create"), {"name": "Couture", "facilitators": ["9" * 40]}
    )
    assert response.status_code == 200
    assert "9" * 40 in response.content.decode()


def test_the_long_select_writes_what_djangos_select_writes():
    choices = [("", "---------"), (1, "Lefèvre & <Zoé>"), (2, "Martin Anne")]

    class Picked(forms.Form):
        fast = forms.ChoiceField(choices=choices, widget=LongSelect, help_text="Aide")
        plain = forms.ChoiceField(choices=choices, help_text="Aide")

    form = Picked(data={"fast": "2", "plain": "2"})
    form.is_valid()

    def normalised(html):
        return re.sub(r">\s+<", "><", html.strip()).replace('name="plain"', 'name="fast"')

    fast, plain = str(form["fast"]), str(form["plain"])
    assert 'value="2" selected' in fast
    assert "Lefèvre &amp; &lt;Zoé&gt;" in fast
    tags = re.compile(r"<(\w+)([^>]*)>")
    # Same elements and attributes, in the same order (Django puts `required` first).
    assert [
        (tag, sorted(attrs.replace("_fast", "_plain").split()))
        for tag, attrs in tags.findall(normalised(fast))
    ] == [(tag, sorted(attrs.split())) for tag, attrs in tags.findall(normalised(plain))]
    text = re.compile(r"<[^>]+>")
    assert text.sub("|", normalised(fast)) == text.sub("|", normalised(plain))
