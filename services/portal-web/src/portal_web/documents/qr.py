"""The invoice's QR code as an inline SVG (INTEGRATIONS.md §5): segno, full QR (phone scanners
often cannot read Micro QR), error level M, about 2 KB; the page sizes it (~30 mm printed)."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(url: str) -> Markup:
    if not url:
        return Markup("")
    code = segno.make(url, micro=False, error="m", boost_error=False)
    svg = code.svg_inline(
        scale=1, border=4, omitsize=True, svgclass="qr-code", lineclass=None, light="#fff",
        title=url,
    )  # fmt: skip
    # segno writes only its own path data and escapes the title: safe to embed as markup.
    return Markup(svg)
