"""Reading and saving the business details and the logo. The logo is checked by its content:
a PNG or a JPEG whose header declares sane dimensions, at most 2 MB (PORTAL-10) — an SVG, an
HTML file renamed .png or a "decompression bomb" (tiny file, enormous canvas) is refused."""

from __future__ import annotations

import struct

from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.portal import Branding
from invoice_service.branding import repository
from kit.errors import InvalidRequest, NotFound

MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_SIDE = 4000  # pixels: more than any logo needs, far less than a bomb
PNG = b"\x89PNG\r\n\x1a\n"


async def get(conn: AsyncConnection) -> Branding:
    row = await repository.get(conn)
    return Branding.model_validate(dict(row._mapping)) if row else Branding()


async def save(conn: AsyncConnection, details: Branding) -> Branding:
    values = details.model_dump(exclude={"has_logo"})
    await repository.save(conn, values)
    return await get(conn)


async def save_logo(conn: AsyncConnection, content: bytes) -> Branding:
    media_type = logo_type(content)
    await repository.save(conn, {"logo": content, "logo_type": media_type})
    return await get(conn)


async def logo(conn: AsyncConnection) -> tuple[bytes, str]:
    row = await repository.logo(conn)
    if row is None:
        raise NotFound("no logo")
    return bytes(row.logo), str(row.logo_type)


def logo_type(content: bytes) -> str:
    """``image/png`` or ``image/jpeg`` when ``content`` really is one, else InvalidRequest."""
    if len(content) > MAX_LOGO_BYTES:
        raise InvalidRequest([f"logo: larger than {MAX_LOGO_BYTES // (1024 * 1024)} MB"])
    if content.startswith(PNG):
        width, height = _png_size(content)
        media_type = "image/png"
    elif content.startswith(b"\xff\xd8\xff"):
        width, height = _jpeg_size(content)
        media_type = "image/jpeg"
    else:
        raise InvalidRequest(["logo: must be a PNG or JPEG image (checked by content)"])
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise InvalidRequest([f"logo: {width}×{height} pixels; at most {MAX_SIDE} a side"])
    return media_type


def _png_size(content: bytes) -> tuple[int, int]:
    if len(content) < 24 or content[12:16] != b"IHDR":
        raise InvalidRequest(["logo: a broken PNG (no IHDR)"])
    width, height = struct.unpack(">II", content[16:24])
    return int(width), int(height)


def _jpeg_size(content: bytes) -> tuple[int, int]:
    """Walk the JPEG markers to the first start-of-frame, which carries the dimensions."""
    at = 2
    while at + 9 < len(content):
        if content[at] != 0xFF:
            break
        marker = content[at + 1]
        length = struct.unpack(">H", content[at + 2 : at + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            height, width = struct.unpack(">HH", content[at + 5 : at + 9])
            return int(width), int(height)
        at += 2 + length
    raise InvalidRequest(["logo: a broken JPEG (no frame header)"])
