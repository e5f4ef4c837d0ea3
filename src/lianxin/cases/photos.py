"""Citizens' photos (CASE-1, SEC-5): only images, re-encoded, their metadata (the location a
phone writes into it) gone, bounded in size and number, served only through a permission check.
"""

from __future__ import annotations

import io
import secrets
import warnings
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 50-megapixel photo; more is a decompression bomb
MAX_PHOTOS = 4
MAX_SIDE = 2048
ALLOWED = {"JPEG", "PNG", "WEBP", "MPO", "HEIF", "GIF", "BMP"}


def clean_photo(upload: Any) -> ContentFile[bytes]:
    """The upload as a fresh JPEG without metadata, or ValidationError in Chinese."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(_("照片不能超过%(mb)sMB。") % {"mb": MAX_BYTES // (1024 * 1024)})
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("照片不能超过%(mb)sMB。") % {"mb": MAX_BYTES // (1024 * 1024)})
    refused = ValidationError(_("只能上传照片（JPG、PNG 等图片）。"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ALLOWED:
                raise refused
            width, height = image.size
            if width * height > MAX_PIXELS or width < 1 or height < 1:
                raise ValidationError(_("照片尺寸过大。"))
            image.load()
            upright: Image.Image = ImageOps.exif_transpose(image)  # orientation kept, rest dropped
            upright = upright.convert("RGB")
            upright.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            upright.save(out, format="JPEG", quality=85, optimize=True)  # no exif, no icc, no xmp
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            OSError, ValueError, SyntaxError) as exc:  # fmt: skip
        raise refused from exc
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(16)}.jpg")
