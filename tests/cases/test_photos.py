"""Citizens' photos (CASE-1, SEC-5): re-encoded without location metadata; anything that is
not an image, too large, or a decompression bomb is refused with nothing written."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lianxin.cases.models import Case, CasePhoto
from lianxin.cases.photos import clean_photo
from tests.cases.conftest import file

pytestmark = pytest.mark.django_db


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (640, 480), "red")
    exif = Image.Exif()
    exif[0x8825] = {2: (34.0, 45.0, 0.0), 4: (113.0, 39.0, 0.0)}  # GPSInfo
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def upload(data: bytes, name: str = "p.jpg", kind: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=kind)


def test_it_strips_the_location_and_keeps_the_picture(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get(0x8825)
    receipt = file(world.a, photos=[upload(raw)])
    photo = receipt.case.photos.get()
    with photo.image.open("rb") as fh:
        stored = Image.open(io.BytesIO(fh.read()))
        assert stored.size == (640, 480)
        assert not stored.getexif()
        assert "exif" not in stored.info


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "x.svg"),
        (b"<html><body>hi</body></html>", "x.jpg"),
        (b"%PDF-1.4 not an image", "x.pdf"),
    ],
)
def test_it_refuses_what_is_not_a_photo_and_files_nothing(world, data, name):
    with pytest.raises(ValidationError, match="只能上传照片"):
        file(world.a, photos=[upload(data, name)])
    assert Case.objects.count() == 0 and CasePhoto.objects.count() == 0


def test_it_refuses_a_decompression_bomb(world):
    bomb = io.BytesIO()
    Image.new("1", (20000, 20000)).save(bomb, format="PNG")  # tiny file, 400 megapixels
    assert len(bomb.getvalue()) < 200_000
    with pytest.raises(ValidationError):
        clean_photo(upload(bomb.getvalue(), "bomb.png", "image/png"))


def test_it_refuses_an_oversize_file_and_too_many_photos(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    big = SimpleUploadedFile("big.jpg", b"\xff" * (11 * 1024 * 1024), content_type="image/jpeg")
    with pytest.raises(ValidationError, match="不能超过"):
        clean_photo(big)
    with pytest.raises(ValidationError, match="最多上传"):
        file(world.a, photos=[upload(jpeg_with_gps()) for _ in range(5)])
    assert Case.objects.count() == 0
