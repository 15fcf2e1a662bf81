from django.utils.html import escape

from parcours.centres.enums import Role


def test_it_gives_each_role_its_home_page_named_in_french(client_for):
    for role in Role:
        response = client_for(role.value).get("/")
        templates = [t.name for t in response.templates]
        assert any(name.endswith(f"/home_{role.value}.html") for name in templates), role
        assert f"· {escape(role.label)}</p>" in response.content.decode(), role
