"""The invoice logo (PORTAL-10): PNG or JPEG, at most 2 MB, judged by its content: the magic
bytes must say PNG or JPEG AND the image must really decode (header dimensions and every pixel),
whatever the file's name or the browser's content type claim."""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Iterator

from PIL import Image, ImageFile

from portal_web.clients.invoices import Logo
from webkit.i18n import N_, Message

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 4000  # pixels a side, as invoice-service allows: a logo, not a bomb
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


def checked_logo(content: bytes) -> Logo | Message:
    """The logo to store, or why it is refused. CPU work: call it in a thread."""
    if len(content) > MAX_BYTES:
        return Message(N_("The logo is larger than 2 MB."), level="error")
    claimed = _magic_type(content)
    if claimed is None:
        return Message(N_("The logo must be a PNG or JPG image."), level="error")
    decoded = _decoded_type(content)
    if decoded != claimed:
        return Message(N_("The logo file is damaged or not really an image."), level="error")
    return Logo(content, claimed)


def _magic_type(content: bytes) -> str | None:
    if content.startswith(PNG_MAGIC):
        return "image/png"
    if content.startswith(JPEG_MAGIC):
        return "image/jpeg"
    return None


@contextlib.contextmanager
def _strict_decoding() -> Iterator[None]:
    """Pillow refusing truncated images, whatever the process-wide flag says: WeasyPrint sets
    ``LOAD_TRUNCATED_IMAGES = True`` when it is imported (the first PDF), which would let a
    truncated logo through."""
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _decoded_type(content: bytes) -> str | None:
    try:
        with _strict_decoding(), warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=list(_FORMATS)) as image:
                width, height = image.size
                if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
                    return None
                image.load()  # every pixel: a truncated or forged body fails here
                return _FORMATS.get(image.format or "")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):  # fmt: skip
        return None
