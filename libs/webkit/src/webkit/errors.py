"""Redirects raised from anywhere in a request, and failures shown as pages (not the JSON the
other services answer): every error a visitor can meet has a page in their language."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from kit.errors import AppError, json_error_response
from webkit.i18n import DEFAULT_LOCALE, N_, Message, as_locale
from webkit.pages import Pages

log = logging.getLogger("webkit.errors")

HX_REQUEST = "hx-request"
Handler = Callable[[Request, Exception], Awaitable[Response]]


class Redirect(Exception):
    """Leave this page for ``url`` (303 after a form, so the browser GETs it)."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


def redirect(request: Request, url: str) -> Response:
    # An htmx request would swap the login page into the invoice table: navigate instead.
    if request.headers.get(HX_REQUEST):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


TITLES = {
    400: N_("The request is not valid"),
    403: N_("You may not do that"),
    404: N_("Page not found"),
    405: N_("Page not found"),
    429: N_("Too many requests"),
    500: N_("Something went wrong"),
    503: N_("The service is temporarily unavailable"),
}
EXPLANATIONS = {
    403: N_("This page or action is not available to your account, or the form was out of date."),
    404: N_("There is nothing at this address."),
    503: N_("Please try again in a few minutes."),
}


# Called by services, not visitors: their failures stay in the platform's JSON shape.
API_PREFIX = "/internal/"


def install_page_errors(app: FastAPI, pages: Pages) -> None:
    """Replace the JSON error handlers of ``kit`` with pages (same statuses), except under
    ``API_PREFIX``."""

    async def on_redirect(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Redirect)
        return redirect(request, exc.url)

    async def on_app_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, AppError)
        if exc.status_code >= 500:
            log.warning("page failed: %s %s", exc.code, exc.message)
        page = error_page(pages, request, exc.status_code)
        page.headers.update(exc.headers)  # Retry-After of a 429, for one
        return page

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        return error_page(pages, request, exc.status_code)

    async def on_invalid(request: Request, exc: Exception) -> Response:
        return error_page(pages, request, 400)

    async def on_unhandled(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error", exc_info=exc)
        return error_page(pages, request, 500)

    def unless_api(handler: Handler) -> Handler:
        async def handle(request: Request, exc: Exception) -> Response:
            if request.url.path.startswith(API_PREFIX):
                return await json_error_response(request, exc)
            return await handler(request, exc)

        return handle

    app.add_exception_handler(Redirect, on_redirect)
    app.add_exception_handler(AppError, unless_api(on_app_error))
    app.add_exception_handler(StarletteHTTPException, unless_api(on_http_error))
    app.add_exception_handler(RequestValidationError, unless_api(on_invalid))
    app.add_exception_handler(Exception, unless_api(on_unhandled))


def error_page(pages: Pages, request: Request, status: int) -> Response:
    locale = as_locale(request.scope.get("state", {}).get("lang")) or DEFAULT_LOCALE
    page = pages.context(request, locale, None)
    title = TITLES.get(status, TITLES[500] if status >= 500 else TITLES[400])
    explanation = EXPLANATIONS.get(status, EXPLANATIONS[503] if status >= 500 else "")
    detail = Message(explanation) if explanation else None
    return pages.render(page, "error.html", status=status, title=title, detail=detail)
