"""The templates the notifier renders (Jinja2, ``templates/``), Greek and English, and what each
needs (contracts.notifications lists them for producers).

Files: ``<template>.<language>.txt`` (the SMS text or the e-mail body) and, for e-mail,
``<template>.<language>.subject.txt``. Undefined parameters are errors (``StrictUndefined``):
a message is never sent with a hole in it. Output is plain text, not HTML, so nothing is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from contracts.events import NotificationRequested
from contracts.notifications import Channel

TEMPLATE_DIR = Path(__file__).parent / "templates"


@dataclass(frozen=True, slots=True)
class TemplateSpec:
    channel: Channel
    params: tuple[str, ...] = ()  # required, in clear
    secrets: tuple[str, ...] = ()  # required, sealed (kit.secrets, purpose notification.<name>)


# What the e-mail says of the invoice, each as its PDF prints it; ``link`` opens its page.
INVOICE_PARAMS = (
    "issuer", "series", "number", "date", "total", "mark", "authentication_code", "link",
)  # fmt: skip

TEMPLATES: dict[str, TemplateSpec] = {
    "account.password": TemplateSpec("sms", secrets=("password",)),
    "account.username": TemplateSpec("email", params=("username", "serial")),
    # Made by the notifier itself (notifier.recipients), the invoice's PDF attached.
    "invoice.recipient": TemplateSpec("email", params=INVOICE_PARAMS),
    # tenant-admin's confirmation of connection-loss notices (contracts.notices).
    "notice.receipt": TemplateSpec("email", params=("received_at", "receipts", "count")),
}


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    subject: str
    text: str


def problem_with(command: NotificationRequested) -> str | None:
    """Why ``command`` can never be sent (a wrong template, channel or parameters), or None."""
    spec = TEMPLATES.get(command.template)
    if spec is None:
        return f"unknown template {command.template!r}"
    if spec.channel != command.channel:
        return f"template {command.template!r} is sent by {spec.channel}, not {command.channel}"
    in_clear = [name for name in spec.secrets if name in command.params]
    if in_clear:
        # Refused before anything is stored: a secret must never rest in clear.
        return f"secret parameter(s) sent unsealed: {', '.join(in_clear)}"
    missing = [p for p in spec.params if p not in command.params]
    missing += [s for s in spec.secrets if s not in command.sealed_params]
    return f"missing parameter(s): {', '.join(missing)}" if missing else None


class Renderer:
    def __init__(self, directory: Path = TEMPLATE_DIR) -> None:
        self._env = Environment(
            loader=FileSystemLoader(directory),
            undefined=StrictUndefined,
            autoescape=False,  # plain text (SMS, text/plain e-mail): nothing to escape
            keep_trailing_newline=False,
        )

    def _render(self, name: str, values: Mapping[str, str]) -> str:
        return self._env.get_template(name).render(**values).strip()

    def sms(self, template: str, language: str, values: Mapping[str, str]) -> str:
        return self._render(f"{template}.{language}.txt", values)

    def email(self, template: str, language: str, values: Mapping[str, str]) -> RenderedEmail:
        # A header is one line: whatever a parameter holds, the subject cannot grow another.
        subject = " ".join(self._render(f"{template}.{language}.subject.txt", values).split())
        return RenderedEmail(subject, self._render(f"{template}.{language}.txt", values) + "\n")
