"""Redirects raised from anywhere in a request, and failures shown as pages (not the JSON the
other services answer): every error a visitor can meet has a page in their language."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from kit.errors import AppError
from webkit.i18n import DEFAULT_LOCALE, N_, Message, as_locale
from webkit.pages import Pages

log = logging.getLogger("webkit.errors")

HX_REQUEST = "hx-request"


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


def install_page_errors(app: FastAPI, pages: Pages) -> None:
    """Replace the JSON error handlers of ``kit`` with pages (same statuses)."""

    async def on_redirect(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Redirect)
        return redirect(request, exc.url)

    async def on_app_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, AppError)
        if exc.status_code >= 500:
            log.warning("page failed: %s %s", exc.code, exc.message)
        return error_page(pages, request, exc.status_code)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        return error_page(pages, request, exc.status_code)

    async def on_invalid(request: Request, exc: Exception) -> Response:
        return error_page(pages, request, 400)

    async def on_unhandled(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error", exc_info=exc)
        return error_page(pages, request, 500)

    app.add_exception_handler(Redirect, on_redirect)
    app.add_exception_handler(AppError, on_app_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_invalid)
    app.add_exception_handler(Exception, on_unhandled)


def error_page(pages: Pages, request: Request, status: int) -> Response:
    locale = as_locale(request.scope.get("state", {}).get("lang")) or DEFAULT_LOCALE
    page = pages.context(request, locale, None)
    title = TITLES.get(status, TITLES[500] if status >= 500 else TITLES[400])
    explanation = EXPLANATIONS.get(status, EXPLANATIONS[503] if status >= 500 else "")
    detail = Message(explanation) if explanation else None
    return pages.render(page, "error.html", status=status, title=title, detail=detail)
