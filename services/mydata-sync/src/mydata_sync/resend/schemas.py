"""Answers of the resend API (the operators' resend list, SPEC ADMIN-8): declared once in
``contracts.resend``, which the admin app reads them with."""

from __future__ import annotations

from contracts.resend import ResendError, ResendItem, ResendPage, ResendReport, ResendResult

__all__ = ["ResendError", "ResendItem", "ResendPage", "ResendReport", "ResendResult"]
