"""The characters no text of the platform may hold, defined once (``FORBIDDEN_TEXT``: kit.http's
check of query and path parameters, the ERP's invoice body in mydata.erp, and ``TextModel``),
and a base for contract models whose text is stored or printed, so that a body holding one is a
400 naming the field, not a failed statement."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

# What XML 1.0 or PostgreSQL cannot hold: C0 controls but TAB, LF and CR (PostgreSQL refuses
# NUL, XML 1.0 the rest), the non-characters U+FFFE/U+FFFF, and surrogates, which in a str are
# always lone ones (no UTF-8). DEL is legal in both, and invoices already stored may hold it.
FORBIDDEN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class TextModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        if isinstance(value, str) and FORBIDDEN_TEXT.search(value):
            raise ValueError(
                "holds a character no text may hold (U+0000-U+001F but TAB/LF/CR,"
                " U+FFFE, U+FFFF, a lone surrogate)"
            )
        return value
