"""The user form (seed 000 «Στοιχεία Χρήστη», «Στοιχεία Σύνδεσης») as posted, and what is wrong
with it, one message per field in the operator's language. Checked here first; tenant-admin's
own rules (``tenants.service``) hold again when it is saved."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from mydata.vat import vat_problem
from notifications import e164_mobile
from tenant_admin.tenants.service import USERNAME
from webkit.i18n import N_, Locale, Message, as_locale

Problems = dict[str, Message]
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
REQUIRED = ("company_name", "vat", "surname", "name", "mobile", "email")
LIMITS = {
    "company_name": 200, "surname": 100, "name": 100, "email": 254, "contract_serial": 100,
    "address": 300,
}  # fmt: skip
VAT_MESSAGES = {
    "must be 9 digits": N_("A Greek VAT number has 9 digits."),
    "must not be all zeros": N_("A VAT number cannot be all zeros."),
    "check digit does not match": N_("The VAT number's check digit does not match."),
}
USERNAME_RULE = N_(
    "A username starts with a letter and has up to 50 letters (A-Z, a-z), digits, - or _."
)


class UserFields(BaseModel):
    """Every field as text, as a browser posts it (validated below, with messages)."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")

    company_name: str = Field(default="", max_length=1000)
    vat: str = Field(default="", max_length=100)
    surname: str = Field(default="", max_length=1000)
    name: str = Field(default="", max_length=1000)
    mobile: str = Field(default="", max_length=100)
    email: str = Field(default="", max_length=1000)
    role: str = Field(default="customer", max_length=20)
    contract_serial: str = Field(default="", max_length=1000)
    address: str = Field(default="", max_length=1000)
    sees_data_of: str = Field(default="", max_length=30_000)
    username: str = Field(default="", max_length=100)
    password: str = Field(default="", max_length=200)
    must_change_password: str = Field(default="", max_length=10)
    language: str = Field(default="el", max_length=5)
    action: str = Field(default="", max_length=20)

    @property
    def must_change(self) -> bool:
        return bool(self.must_change_password)

    @property
    def locale(self) -> Locale:
        return as_locale(self.language) or "el"

    @property
    def is_auditor(self) -> bool:
        return self.role == "aade_user"

    @property
    def sees(self) -> list[str]:
        """«Βλέπει δεδομένα των»: comma-separated usernames, each once, in the order given."""
        names = [n.strip() for n in self.sees_data_of.split(",") if n.strip()]
        return list(dict.fromkeys(names))


@dataclass(frozen=True, slots=True)
class Checked:
    """The form once it passed: the mobile in E.164 (+3069…)."""

    fields: UserFields
    mobile: str


def _required(fields: UserFields) -> Problems:
    found: Problems = {}
    for name in REQUIRED:
        if not getattr(fields, name):
            found[name] = Message(N_("Fill in this field."), level="error")
    for name, limit in LIMITS.items():
        if len(getattr(fields, name)) > limit:
            found[name] = Message(N_("At most %(limit)s characters."), {"limit": limit}, "error")
    return found


def _contacts(fields: UserFields) -> Problems:
    found: Problems = {}
    if fields.vat and (problem := vat_problem(fields.vat)):
        found["vat"] = Message(VAT_MESSAGES.get(problem, problem), level="error")
    if fields.email and not EMAIL.match(fields.email):
        found["email"] = Message(N_("Enter an e-mail address (name@example.gr)."), level="error")
    if fields.mobile and _mobile(fields.mobile) is None:
        found["mobile"] = Message(
            N_("Enter a Greek mobile number: 69 and eight more digits (+30 may precede it)."),
            level="error",
        )
    return found


def _role(fields: UserFields) -> Problems:
    if fields.role not in ("customer", "aade_user"):
        return {"role": Message(N_("Choose a role."), level="error")}
    if fields.is_auditor and not fields.sees:
        text = N_("An AADE user needs the usernames of the customers whose data it sees.")
        return {"sees_data_of": Message(text, level="error")}
    if not fields.is_auditor and not fields.contract_serial:
        text = N_("A customer needs the serial number of the contract.")
        return {"contract_serial": Message(text, level="error")}
    return {}


def _mobile(number: str) -> str | None:
    try:
        mobile = e164_mobile(number)
    except ValueError:
        return None
    # The SMS gateway is Greek and seed 000 asks for a Greek mobile: +30 69…
    return mobile if mobile.startswith("+3069") else None


def username_problem(username: str) -> Message | None:
    if not username:
        return Message(N_("Fill in this field."), level="error")
    if not USERNAME.fullmatch(username):
        return Message(USERNAME_RULE, level="error")
    return None


def check(fields: UserFields, *, new: bool, sending: bool) -> tuple[Problems, Checked | None]:
    """What is wrong, field by field; ``sending``: a password must have been generated."""
    problems = _required(fields) | _contacts(fields) | _role(fields)
    if fields.language not in ("el", "en"):
        problems["language"] = Message(N_("Choose a language."), level="error")
    if new and (problem := username_problem(fields.username)):
        problems["username"] = problem
    if sending and not fields.password:
        problems["password"] = Message(N_("Generate a password first."), level="error")
    if problems:
        return problems, None
    mobile = _mobile(fields.mobile)
    assert mobile is not None
    return {}, Checked(fields, mobile)
