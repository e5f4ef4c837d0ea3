"""The skeleton answers: home redirects to login, health, the API schema, and 404s."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_serves_the_login_page_in_chinese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_it_publishes_the_openapi_schema(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"openapi" in response.content


def test_it_answers_a_missing_page_with_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_it_ships_the_national_divisions_with_paths():
    from lianxin.regions.models import Region

    county = Region.objects.get(code="410425")
    assert county.name == "郏县"
    assert county.full_name() == "河南省平顶山市郏县"
    henan = Region.objects.get(code="41")
    assert Region.objects.filter(path__startswith=henan.path, level=3).count() > 100


def test_it_loads_the_demo_once(db):
    from lianxin.accounts.models import User
    from lianxin.common.demo import load_demo

    first = load_demo()
    count = User.objects.count()
    assert first > 0
    assert load_demo() == 0
    assert User.objects.count() == count


def test_it_serves_pages_with_the_production_static_manifest(client, settings, tmp_path):
    """`make run` collects static files into a manifest; every page must find its assets."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "vendor/bootstrap-5.3.9/bootstrap.min." in response.content.decode()


def test_it_generates_the_openapi_schema_without_warnings(tmp_path):
    """`check --deploy` in CI fails on drf-spectacular warnings; catch them in the suite."""
    from django.core.management import call_command

    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
    assert "/api/v1/persons/" in (tmp_path / "schema.yaml").read_text()
