import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from parcours.accounts.models import User
from parcours.core.forms import ModelMultipleChoiceField


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
