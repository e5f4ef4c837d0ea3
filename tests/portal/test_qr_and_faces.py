"""QR codes carry PUBLIC_BASE_URL (ORG-13); a public-only deployment serves /p/ alone (SEC-6)."""

import importlib.util
import io
import sys

import pytest
from PIL import Image

import lianxin.urls
from lianxin.common.qr import public_path, public_url, qr_png, qr_svg

pytestmark = pytest.mark.django_db


def test_it_builds_public_urls_from_the_public_base_url(settings, world):
    settings.PUBLIC_BASE_URL = "https://lianxin.example.gov.cn"
    person, station = world.a.deputy, world.a.station
    assert public_url(person) == f"https://lianxin.example.gov.cn/p/d/{person.public_key}/"
    assert public_path(station) == f"/p/s/{station.public_key}/"
    with pytest.raises(ValueError, match="no public page"):
        public_path(world.a.unit)


def test_it_keeps_public_keys_unguessable(world):
    key = world.a.deputy.public_key
    assert len(key) >= 22  # 128 bits, URL-safe base64
    assert key != world.b.deputy.public_key


def test_it_serves_qr_codes_as_svg_and_png(client, world):
    person, station = world.a.deputy, world.a.station
    svg = client.get(f"/p/d/{person.public_key}/qr.svg")
    assert svg.status_code == 200
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg")
    png = client.get(f"/p/s/{station.public_key}/qr.png")
    assert png.status_code == 200
    assert png["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(png.content))
    assert image.size[0] >= 200
    assert client.get(f"/p/s/{station.public_key}/qr.svg").status_code == 200
    assert client.get(f"/p/d/{person.public_key}/qr.png").status_code == 200


def test_it_encodes_the_public_url_in_the_served_code(client, settings, world):
    settings.PUBLIC_BASE_URL = "https://q.example.cn"
    person = world.a.deputy
    expected = f"https://q.example.cn/p/d/{person.public_key}/"
    assert client.get(f"/p/d/{person.public_key}/qr.png").content == qr_png(expected)
    station = world.a.station
    expected = f"https://q.example.cn/p/s/{station.public_key}/"
    assert client.get(f"/p/s/{station.public_key}/qr.svg").content.decode() == qr_svg(
        expected, scale=8
    )


@pytest.fixture
def public_face_urlconf(settings):
    """lianxin/urls.py built as a public-only deployment would build it."""
    settings.SITE_FACE = "public"
    spec = importlib.util.spec_from_file_location("lianxin_public_face_urls", lianxin.urls.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules[spec.name] = module
    settings.ROOT_URLCONF = spec.name
    yield module
    del sys.modules[spec.name]


def test_it_serves_only_the_portal_when_the_face_is_public(client, world, public_face_urlconf):
    routes = [str(p.pattern) for p in public_face_urlconf.urlpatterns]
    assert "p/" in routes
    assert not any(r.startswith(("staff/", "admin/", "api/", "accounts/")) for r in routes)
    assert "" not in routes
    assert client.get(f"/p/d/{world.a.deputy.public_key}/").status_code == 200
    assert client.get("/accounts/login/").status_code == 404
    assert client.get("/admin/").status_code == 404
    assert client.get("/api/v1/schema/").status_code == 404
    assert client.get("/").status_code == 404


def test_it_serves_everything_when_the_face_is_all(client):
    routes = [str(p.pattern) for p in lianxin.urls.urlpatterns]
    assert "p/" in routes and "staff/directory/" in routes and "admin/" in routes
