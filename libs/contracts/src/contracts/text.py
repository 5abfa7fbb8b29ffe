"""A base for contract models whose text is stored or printed: refuse the characters no text
field of the platform accepts (PostgreSQL refuses NUL; XML 1.0 the other C0 controls), so a
body holding one is a 400 naming the field, not a failed statement."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

# The same set as kit.http's check of query and path parameters (contracts depends on no kit).
FORBIDDEN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


class TextModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        if isinstance(value, str) and FORBIDDEN_TEXT.search(value):
            raise ValueError("holds a control character (NUL, U+0001-U+001F but TAB/LF/CR, DEL)")
        return value
