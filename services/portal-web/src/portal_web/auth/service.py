"""Logging in and out, the first-login steps, and the password rules (checked here on the page,
and again by tenant-admin, which answers 422 with one problem per broken rule)."""

from __future__ import annotations

from contracts.portal import Acceptance, PasswordChange, PortalLogin, PortalSession
from portal_web.clients.http import LoginRefused, LoginThrottled, PasswordRefused
from portal_web.clients.tenant_admin import TenantAdminClient
from webkit.i18n import N_, Message

# PORTAL-9, in the seed's order; the keys are the ones tenant-admin answers with.
PASSWORD_RULES: tuple[tuple[str, str], ...] = (
    ("min_length", N_("The password must have at least 8 characters.")),
    ("upper", N_("The password must contain at least one upper-case letter.")),
    ("lower", N_("The password must contain at least one lower-case letter.")),
    ("digit", N_("The password must contain at least one digit.")),
    ("symbol", N_("The password must contain at least one symbol.")),
)
MIN_LENGTH = 8
# How tenant-admin's English problems name each rule, when they carry no key.
_RULE_WORDS = {"min_length": "8 char", "upper": "upper-case", "lower": "lower-case",
               "digit": "digit", "symbol": "symbol"}  # fmt: skip


def broken_rules(password: str) -> list[str]:
    """The keys of the rules ``password`` breaks, in the rules' order."""
    holds = {
        "min_length": len(password) >= MIN_LENGTH,
        "upper": any(c.isupper() for c in password),
        "lower": any(c.islower() for c in password),
        "digit": any(c.isdigit() for c in password),
        "symbol": any(not c.isalnum() and not c.isspace() for c in password),
    }
    return [key for key, _ in PASSWORD_RULES if not holds[key]]


def rule_messages(keys: list[str]) -> list[Message]:
    texts = dict(PASSWORD_RULES)
    return [Message(texts[key], level="error") for key in keys if key in texts]


def password_problems(current: str, new: str, repeated: str) -> list[Message]:
    """What the page itself finds wrong with a change, before asking tenant-admin."""
    problems: list[Message] = []
    if not current:
        problems.append(Message(N_("Enter your current password."), level="error"))
    problems += rule_messages(broken_rules(new))
    if new != repeated:
        problems.append(Message(N_("The two new passwords differ."), level="error"))
    return problems


async def change_password(
    tenant_admin: TenantAdminClient, session_id: str, current: str, new: str
) -> list[Message]:
    """Ask tenant-admin; its refusals as messages (empty: changed)."""
    try:
        await tenant_admin.change_password(session_id, PasswordChange(
            current_password=current, new_password=new))  # fmt: skip
    except PasswordRefused as refused:
        return refusal_messages(refused)
    return []


def refusal_messages(refused: PasswordRefused) -> list[Message]:
    if refused.wrong_current:
        return [Message(N_("The current password is not correct."), level="error")]
    keys = [key for problem in refused.problems if (key := _rule_of(problem))]
    messages = rule_messages(list(dict.fromkeys(keys)))
    if any("must differ" in problem for problem in refused.problems):
        messages.append(Message(N_("The new password must differ from the current one."),
                                level="error"))  # fmt: skip
    if not messages:
        reason = "; ".join(refused.problems) or "-"
        messages = [Message(N_("The new password was refused: %(reason)s"), {"reason": reason},
                            level="error")]  # fmt: skip
    return messages


def _rule_of(problem: str) -> str | None:
    lowered = problem.lower()
    for key, words in _RULE_WORDS.items():
        if key in lowered or words in lowered:
            return key
    return None


async def log_in(
    tenant_admin: TenantAdminClient,
    username: str,
    password: str,
    client_ip: str,
    previous_session_id: str | None,
) -> PortalSession | Message:
    """A new session (the id rotates at every login: an older one is ended), or why not."""
    if previous_session_id:
        await end_session(tenant_admin, previous_session_id)
    attempt = PortalLogin(username=username, password=password, client_ip=client_ip)
    try:
        return await tenant_admin.login(attempt)
    except LoginRefused:
        return Message(N_("Wrong username or password."), level="error")
    except LoginThrottled as throttled:
        minutes = max(1, -(-throttled.retry_after_s // 60))
        return Message(
            N_("Too many failed attempts. Try again in %(minutes)s minute(s)."),
            {"minutes": minutes}, level="error",
        )  # fmt: skip


async def end_session(tenant_admin: TenantAdminClient, session_id: str) -> None:
    await tenant_admin.end_session(session_id)  # an already ended one is no error


def first_step(session: PortalSession) -> str | None:
    """Where a first login must go next (PORTAL-2), or None when it is done."""
    if session.user.must_change_password:
        return "/first-login/password"
    if not session.user.accepted_terms:
        return "/first-login/terms"
    return None


def home_of(session: PortalSession) -> str:
    return "/invoices" if session.user.role == "customer" else "/auditor"


def after_login(session: PortalSession, wanted: str | None) -> str:
    return first_step(session) or safe_next(wanted) or home_of(session)


def safe_next(wanted: str | None) -> str | None:
    """Only a path of this site (no scheme, no host, no ``//``): never an open redirect."""
    if not wanted or not wanted.startswith("/") or wanted.startswith("//") or "\\" in wanted:
        return None
    return wanted


async def accept_terms(
    tenant_admin: TenantAdminClient, session_id: str, contract: bool, usage: bool, client_ip: str
) -> PortalSession | Message:
    if not (contract and usage):
        return Message(
            N_("Accept both the contract terms and the terms of use to use the portal, "
               "or continue as a guest."), level="error",
        )  # fmt: skip
    acceptance = Acceptance(contract=True, usage=True, client_ip=client_ip)
    return await tenant_admin.accept_terms(session_id, acceptance)
