"""Every URL × every actor, with the expected status.

The matrix is the access policy written as a table. A URL that the resolver knows
and the matrix does not makes `test_every_url_is_in_the_matrix` fail, so no view can
be added without deciding who may open it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .access import ACTORS, LOGIN, MANAGEMENT_OBJECT, MANAGEMENT_PAGE, MEMBERS, PUBLIC, rule
from .centres.access_invitations import MATRIX as INVITATIONS_MATRIX
from .consent.access import MATRIX as CONSENT_MATRIX
from .factories import UserFactory, verified_login
from .partners.access import MATRIX as PARTNERS_MATRIX
from .partners.access import objects as partners_objects
from .pathways.access import MATRIX as PATHWAYS_MATRIX
from .pathways.access import objects as pathways_objects
from .pathways.access_assessments import MATRIX as ASSESSMENTS_MATRIX
from .pathways.access_relays import MATRIX as RELAYS_MATRIX
from .pathways.access_report import MATRIX as REPORT_MATRIX
from .people.access import MATRIX as PEOPLE_MATRIX
from .people.access import objects as people_objects
from .people.access_spreadsheets import MATRIX as SPREADSHEETS_MATRIX
from .privacy.access import MATRIX as PRIVACY_MATRIX
from .privacy.access import objects as privacy_objects
from .reports.access import MATRIX as REPORTS_MATRIX
from .reports.access_exports import MATRIX as REPORT_EXPORTS_MATRIX
from .workshops.access import MATRIX as WORKSHOPS_MATRIX
from .workshops.access import objects as workshops_objects
from .workshops.access_feeds import MATRIX as FEEDS_MATRIX
from .workshops.access_pdf import MATRIX as PDF_MATRIX
from .workshops.access_stats import MATRIX as STATS_MATRIX

# For URLs of objects of the centre, the outsider (coordinator of another centre) gets
# 404: the object is not found in their centre, so its existence does not leak.
CORE_MATRIX = {
    # url name: (args builder, method, expected statuses by actor)
    "dashboard:home": (None, "get", MEMBERS),
    "dashboard:accessibility": (None, "get", PUBLIC),
    "accounts:login": (None, "get", (200, 200) + (302,) * 6),
    "accounts:logout": (None, "post", (302,) * 8),
    "accounts:password_reset": (None, "get", PUBLIC),
    "accounts:password_reset_done": (None, "get", PUBLIC),
    "accounts:password_reset_confirm": (lambda o: ["MQ", "invalid-token"], "get", PUBLIC),
    "accounts:password_reset_complete": (None, "get", PUBLIC),
    "accounts:password_change": (None, "get", MEMBERS),
    "accounts:password_change_done": (None, "get", MEMBERS),
    "accounts:profile": (None, "get", MEMBERS),
    # Two-factor login. A verified session is sent on from the code step; the enrolment
    # opens for those without an app (facilitators and partner workers may enable it).
    "accounts:otp_verify": (None, "get", (302,) * 8),
    "accounts:otp_setup": (
        None,
        "get",
        rule(
            outsider=302,
            coordinator=302,
            facilitator=200,
            partner_worker=200,
            director=302,
            admin=302,
        ),
    ),
    "accounts:reauth": (None, "get", MEMBERS),
    "accounts:recovery_codes": (
        None,
        "get",
        rule(
            outsider=200,
            coordinator=200,
            facilitator=302,
            partner_worker=302,
            director=200,
            admin=200,
        ),
    ),
    "accounts:otp_reset": (None, "post", (302,) * 8),
    "centres:detail": (None, "get", MEMBERS),
    "centres:edit": (
        None,
        "get",
        MANAGEMENT_PAGE,
    ),
    "centres:switch": (
        lambda o: {"centre": o["centre"].pk},
        "post",
        (LOGIN, LOGIN, 404) + (302,) * 5,
    ),
    "centres:programme_create": (
        None,
        "get",
        MANAGEMENT_PAGE,
    ),
    "centres:programme_detail": (
        lambda o: [o["programme"].pk],
        "get",
        rule(
            outsider=404,
            coordinator=200,
            facilitator=200,
            partner_worker=200,
            director=200,
            admin=200,
        ),
    ),
    "centres:programme_edit": (
        lambda o: [o["programme"].pk],
        "get",
        MANAGEMENT_OBJECT,
    ),
    "centres:place_create": (
        None,
        "get",
        MANAGEMENT_PAGE,
    ),
    "centres:place_edit": (
        lambda o: [o["place"].pk],
        "get",
        MANAGEMENT_OBJECT,
    ),
    "centres:team": (
        None,
        "get",
        rule(
            outsider=200,
            coordinator=200,
            facilitator=403,
            partner_worker=403,
            director=200,
            admin=200,
        ),
    ),
    "centres:member_add": (
        None,
        "get",
        rule(
            outsider=403,
            coordinator=403,
            facilitator=403,
            partner_worker=403,
            director=403,
            admin=200,
        ),
    ),
    "centres:member_edit": (
        lambda o: [o["membership"].pk],
        "get",
        rule(
            outsider=403,
            coordinator=403,
            facilitator=403,
            partner_worker=403,
            director=403,
            admin=200,
        ),
    ),
    "centres:member_disable": (
        lambda o: [o["membership"].pk],
        "post",
        rule(
            outsider=403,
            coordinator=403,
            facilitator=403,
            partner_worker=403,
            director=403,
            admin=302,
        ),
    ),
    "centres:member_otp_reset": (
        lambda o: [o["membership"].pk],
        "post",
        rule(
            outsider=403,
            coordinator=403,
            facilitator=403,
            partner_worker=403,
            director=403,
            admin=302,
        ),
    ),
    "audit:trail": (
        None,
        "get",
        MANAGEMENT_PAGE,
    ),
    "audit:security": (
        None,
        "get",
        MANAGEMENT_PAGE,
    ),
}

MATRIX = {
    **CORE_MATRIX,
    **INVITATIONS_MATRIX,
    **PARTNERS_MATRIX,
    **PEOPLE_MATRIX,
    **SPREADSHEETS_MATRIX,
    **CONSENT_MATRIX,
    **WORKSHOPS_MATRIX,
    **PDF_MATRIX,
    **FEEDS_MATRIX,
    **STATS_MATRIX,
    **PATHWAYS_MATRIX,
    **ASSESSMENTS_MATRIX,
    **RELAYS_MATRIX,
    **REPORT_MATRIX,
    **REPORTS_MATRIX,
    **REPORT_EXPORTS_MATRIX,
    **PRIVACY_MATRIX,
}

# The Django admin is one rule (AdminSite.has_permission -> policy.can_use_admin_site)
# over all its URLs; these samples prove the rule for each actor.
ADMIN_NAMESPACE = "admin"
ADMIN_SAMPLES = [
    ("admin:index", None),
    ("admin:centres_centre_changelist", None),
    ("admin:centres_centre_change", lambda o: [o["centre"].pk]),
    ("admin:audit_auditevent_changelist", None),
    ("admin:accounts_user_changelist", None),
    ("admin:otp_totp_totpdevice_changelist", None),
    ("admin:otp_static_staticdevice_changelist", None),
]
# No centre role opens it, the admin's included: it spans every centre.
ADMIN_EXPECTED = (302,) * 8


def url_names(patterns=None, namespace=""):
    """Every named URL the resolver knows, as 'namespace:name'."""
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def missing_from_matrix(names):
    return sorted(
        name for name in names if name not in MATRIX and not name.startswith(f"{ADMIN_NAMESPACE}:")
    )


def test_every_url_is_in_the_matrix():
    assert missing_from_matrix(url_names()) == []


def test_a_url_without_an_entry_is_reported():
    assert missing_from_matrix(url_names() | {"people:secret_new_view"}) == [
        "people:secret_new_view"
    ]


def test_the_url_walker_sees_included_namespaces():
    names = url_names()
    assert "centres:place_edit" in names
    assert "admin:index" in names


def build_objects(centre, users, place, programme):
    """The objects the matrix builders need, in `centre`; `users` holds one user per
    role of that centre. Also used to build other centres (tests/proofs)."""
    from parcours.centres.models import Membership

    return {
        "centre": centre,
        "place": place,
        "programme": programme,
        "membership": Membership.objects.get(user=users["facilitator"], centre=centre),
        **partners_objects(centre, users),
        **people_objects(centre, users),
        **workshops_objects(centre, users),
        **pathways_objects(centre, users),
        **privacy_objects(centre, users),
    }


@pytest.fixture
def objects(centre, users, place, programme):
    return build_objects(centre, users, place, programme)


def request_entry(client, name, build, method, objects):
    """A builder returns URL args, or for a POST a dict of data with its URL args
    under "args"."""
    built = build(objects) if build else None
    if isinstance(built, dict):
        data = dict(built)
        return client.post(reverse(name, args=data.pop("args", None)), data)
    if method == "post":
        return client.post(reverse(name, args=built))
    return client.get(reverse(name, args=built))


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("actor", ACTORS)
def test_matrix(client_for, objects, name, actor):
    build, method, expected = MATRIX[name]
    response = request_entry(client_for(actor), name, build, method, objects)
    assert response.status_code == expected[ACTORS.index(actor)], (name, actor)


@pytest.mark.parametrize("name,build", ADMIN_SAMPLES)
@pytest.mark.parametrize("actor", ACTORS)
def test_admin_matrix(client_for, objects, name, build, actor):
    response = request_entry(client_for(actor), name, build, "get", objects)
    assert response.status_code == ADMIN_EXPECTED[ACTORS.index(actor)], (name, actor)


@pytest.mark.parametrize("name,build", ADMIN_SAMPLES)
def test_installation_operators_open_the_django_admin(client, objects, name, build):
    verified_login(client, UserFactory(is_staff=True, is_superuser=True))
    assert request_entry(client, name, build, "get", objects).status_code == 200


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(reverse("centres:detail"))
    assert response.url.startswith(reverse("accounts:login"))
