"""Server-rendered pages: one Jinja2 environment (autoescaped, i18n extension, strict about
undefined names), rendered in the request's language.

The translations and the number locale of the page being rendered live in context variables,
so that ``{% trans %}``, ``_()`` and the money/number filters need no argument for them; a page
is rendered on the event loop, start to end, inside ``rendering``.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from webkit import formats
from webkit.i18n import DEFAULT_LOCALE, LOCALES, Locale, Message

_translations: ContextVar[gettext.NullTranslations] = ContextVar("page_translations")
_locale: ContextVar[Locale] = ContextVar("page_locale", default=DEFAULT_LOCALE)


class SessionLike(Protocol):
    """What the layout reads of a site's session (portal user or operator): the form token."""

    @property
    def csrf_token(self) -> str: ...


@dataclass(frozen=True, slots=True)
class PageContext:
    """What the layout of every page needs besides the page's own content."""

    locale: Locale
    path: str
    query: Mapping[str, str]
    session: Any  # the site's session (SessionLike), or None before login
    provider_name: str
    provider_url: str
    messages: list[Message] = field(default_factory=list)

    @property
    def csrf_token(self) -> str:
        return self.session.csrf_token if self.session else ""

    def lang_url(self, locale: str) -> str:
        query = {k: v for k, v in self.query.items() if k != "lang"} | {"lang": locale}
        return f"{self.path}?{urlencode(query)}"

    @property
    def languages(self) -> tuple[Locale, ...]:
        return LOCALES


class Pages:
    """A site's templates (``<package>/templates``) rendered in the request's language."""

    def __init__(
        self,
        package: str,
        catalogs: Mapping[Locale, gettext.NullTranslations],
        provider_name: str,
        provider_url: str,
        constants: Mapping[str, object],
    ) -> None:
        self.catalogs = catalogs
        self.provider_name = provider_name
        self.provider_url = provider_url
        self.env = _environment(package)
        self.env.globals.update(constants)

    @contextmanager
    def rendering(self, locale: Locale) -> Iterator[None]:
        translations = _translations.set(self.catalogs[locale])
        number_locale = _locale.set(locale)
        try:
            yield
        finally:
            _translations.reset(translations)
            _locale.reset(number_locale)

    def text(self, locale: Locale, name: str, **context: Any) -> str:
        with self.rendering(locale):
            return self.env.get_template(name).render(**context)

    def gettext(self, locale: Locale, message: str, **params: object) -> str:
        with self.rendering(locale):
            return _gettext(message, **params)

    def context(self, request: Request, locale: Locale, session: SessionLike | None) -> PageContext:
        query = dict(request.query_params)
        return PageContext(
            locale, request.url.path, query, session, self.provider_name, self.provider_url
        )

    def render(
        self, page: PageContext, name: str, *, status: int = 200, **context: Any
    ) -> HTMLResponse:
        html = self.text(page.locale, name, page=page, **context)
        # Pages show invoices and account data: never kept by a browser or proxy cache.
        headers = {"Cache-Control": "no-store", "Content-Language": page.locale}
        return HTMLResponse(html, status_code=status, headers=headers)


def _gettext(message: str, **params: object) -> str:
    text = _translations.get(gettext.NullTranslations()).gettext(message)
    return text % params if params else text


def _ngettext(singular: str, plural: str, n: int) -> str:
    # Jinja's newstyle gettext fills in ``%(num)s`` and the other variables itself.
    return _translations.get(gettext.NullTranslations()).ngettext(singular, plural, n)


def _money(value: Any, currency: str | None = "EUR") -> str:
    return formats.money(value, _locale.get(), currency)


def _number(value: Any) -> str:
    return formats.number(value, _locale.get())


def _message(message: Message) -> str:
    """A ``Message`` from Python code, translated and filled in (the parameters are escaped)."""
    params = {k: Markup.escape(v) for k, v in message.params.items()}
    return Markup(_gettext(message.text, **params)) if params else _gettext(message.text)


def _environment(package: str) -> Environment:
    env = Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        money=_money, number=_number, day=formats.day, moment=formats.moment, message=_message
    )
    return env
