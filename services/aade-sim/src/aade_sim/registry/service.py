"""The stand-in's behaviour: who may call, what each input answers, and the test switch that
forces an error code or a transport failure on the next calls."""

from __future__ import annotations

import asyncio
import hmac
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from aade_sim.hostile import hostile_document, is_hostile
from aade_sim.registry.answers import (
    LookupRequest,
    UnreadableRequest,
    error_answer,
    fault_answer,
    read_request,
    registration_answer,
)
from aade_sim.registry.companies import COMPANIES, NEVER_BUSINESS
from mydata.vat import vat_problem

PREFIX = "RG_WS_PUBLIC_"
MAX_USERNAME = 50
Failure = Literal[
    "soap_fault", "http_500", "hang", "xxe_file", "xxe_network", "billion_laughs", "external_dtd"
]


class RegistrySwitch(BaseModel):
    """Forced on the next ``times`` calls (None = until reset): an ``error_code`` answer, or a
    transport ``failure``."""

    error_code: str | None = Field(default=None, pattern=r"^RG_WS_PUBLIC_[A-Z_]+$")
    failure: Failure | None = None
    times: int | None = Field(default=None, ge=1)


class RegistryCalls(BaseModel):
    total: int
    by_username: dict[str, int]
    by_vat: dict[str, int]
    switch: RegistrySwitch | None


@dataclass(frozen=True, slots=True)
class SoapAnswer:
    status: int
    body: bytes


class RegistryDesk:
    def __init__(self, users: Mapping[str, str], hang_s: float) -> None:
        self._users = dict(users)
        self._hang_s = hang_s
        self._seq = 0
        self._by_username: Counter[str] = Counter()
        self._by_vat: Counter[str] = Counter()
        self._switch: RegistrySwitch | None = None

    def set(self, switch: RegistrySwitch) -> None:
        self._switch = switch if (switch.error_code or switch.failure) else None

    def reset(self) -> None:
        self._switch = None
        self._by_username.clear()
        self._by_vat.clear()

    def calls(self) -> RegistryCalls:
        return RegistryCalls(
            total=self._by_username.total(),
            by_username=dict(self._by_username),
            by_vat=dict(self._by_vat),
            switch=self._switch,
        )

    async def answer(self, body: bytes) -> SoapAnswer:
        try:
            request = read_request(body)
        except UnreadableRequest as exc:
            return SoapAnswer(500, fault_answer(str(exc)))
        self._seq += 1
        self._by_username[request.username] += 1
        self._by_vat[request.called_for] += 1
        forced = self._take()
        if forced is not None and forced.failure is not None:
            return await self._fail(forced.failure)
        code = forced.error_code if forced is not None else self._refusal(request)
        if code is not None:
            return SoapAnswer(200, error_answer(self._seq, request.called_by, code, _descr(code)))
        company = COMPANIES[request.called_for]
        return SoapAnswer(200, registration_answer(self._seq, request.called_by, company))

    def _take(self) -> RegistrySwitch | None:
        switch = self._switch
        if switch is not None and switch.times is not None:
            remaining = switch.times - 1
            self._switch = switch.model_copy(update={"times": remaining}) if remaining else None
        return switch

    async def _fail(self, failure: Failure) -> SoapAnswer:
        if failure == "hang":
            await asyncio.sleep(self._hang_s)
            return SoapAnswer(504, b"")
        if is_hostile(failure):
            return SoapAnswer(200, hostile_document(failure, "Envelope", "Body"))
        if failure == "http_500":
            return SoapAnswer(500, b"<html><body>Internal Server Error</body></html>")
        return SoapAnswer(500, fault_answer("Internal error - java.lang.IllegalStateException"))

    def _refusal(self, request: LookupRequest) -> str | None:
        return self._credentials_refusal(request) or _vat_refusal(request)

    def _credentials_refusal(self, request: LookupRequest) -> str | None:
        if not request.username:
            return PREFIX + "TOKEN_USERNAME_NOT_DEFINED"
        if len(request.username) > MAX_USERNAME:
            return PREFIX + "TOKEN_USERNAME_TOO_LONG"
        expected = self._users.get(request.username)
        if expected is None or not hmac.compare_digest(
            request.password.encode(), expected.encode()
        ):
            return PREFIX + "TOKEN_USERNAME_NOT_AUTHENTICATED"
        return None


def _vat_refusal(request: LookupRequest) -> str | None:
    if request.called_by and request.called_by not in COMPANIES:
        return PREFIX + "AFM_CALLED_BY_NOT_FOUND"
    vat = request.called_for
    if not vat:
        return PREFIX + "NO_INPUT_PARAMETERS"
    if vat_problem(vat):
        return PREFIX + "WRONG_AFM"
    if vat in NEVER_BUSINESS:
        return PREFIX + "EPIT_NF"
    if vat not in COMPANIES:
        return PREFIX + "TAXPAYER_NF"
    return None


_DESCRIPTIONS = {
    "TOKEN_USERNAME_NOT_DEFINED": "Δεν έχει οριστεί username",
    "TOKEN_USERNAME_NOT_AUTHENTICATED": "Ο συνδυασμός χρήστη/κωδικού πρόσβασης δεν είναι έγκυρος",
    "TOKEN_USERNAME_TOO_LONG": "Το username είναι πολύ μεγάλο",
    "AFM_CALLED_BY_NOT_FOUND": "Ο Α.Φ.Μ. για τον οποίο γίνεται η κλήση δε βρέθηκε",
    "NO_INPUT_PARAMETERS": "Δε δόθηκαν υποχρεωτικές παράμετροι εισόδου",
    "WRONG_AFM": "O Α.Φ.Μ. για τον οποίο ζητούνται πληροφορίες δεν είναι έγκυρος",
    "EPIT_NF": "O Α.Φ.Μ. για τον οποίο ζητούνται πληροφορίες δεν αφορά επιτηδευματία",
    "TAXPAYER_NF": "O Α.Φ.Μ. για τον οποίο ζητούνται πληροφορίες δεν βρέθηκε",
}


def _descr(code: str) -> str:
    # Padded, as the live service pads its CHAR fields.
    return _DESCRIPTIONS.get(code.removeprefix(PREFIX), code).ljust(120)
