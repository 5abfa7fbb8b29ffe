"""Saving users and asking the notifier for their messages, each in the transaction that makes
the change (the catalog outbox: a message is sent if and only if the change was committed), each
in the audit trail.

The password travels sealed (``notifications.password_sms`` seals it with the platform keyring
before it reaches the outbox row); the catalog keeps only its argon2 hash; it is never logged
and never in the trail.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.events import envelope_of
from kit.secrets import Keyring
from notifications import new_notification_id, password_sms, username_email
from tenant_admin.app.users.forms import Checked, Problems, username_problem
from tenant_admin.audit import service as audit
from tenant_admin.audit.service import Actor, Subject
from tenant_admin.errors import UsernameTaken
from tenant_admin.events.repository import add_event
from tenant_admin.tenants import service as tenants
from tenant_admin.tenants.schemas import CustomerChanges, NewCustomer, TenantDetail, TenantPage
from webkit.i18n import N_, Message

PAGE = 20
# What the audit trail names of an edit (the values stay in the catalog).
EDITABLE = tuple(CustomerChanges.model_fields)


async def search(conn: AsyncConnection, query: str | None, offset: int, limit: int) -> TenantPage:
    return await tenants.search_tenants(conn, query or None, limit, offset)


async def username_verdict(conn: AsyncConnection, username: str) -> Message:
    """The «Έλεγχος» button: free and well-formed, or why not."""
    problem = username_problem(username)
    if problem:
        return problem
    if await tenants.find_user(conn, username):
        return Message(N_("This username is taken."), level="error")
    return Message(N_("Available."), level="success")


async def _sees_problems(conn: AsyncConnection, checked: Checked) -> Problems:
    fields = checked.fields
    if not fields.is_auditor:
        return {}
    missing = await tenants.not_customers(conn, fields.sees)
    if not missing:
        return {}
    text = N_("Not customers' usernames: %(names)s")
    return {"sees_data_of": Message(text, {"names": ", ".join(missing)}, level="error")}


def _changes(checked: Checked) -> CustomerChanges:
    fields = checked.fields
    return CustomerChanges(
        company_name=fields.company_name, vat=fields.vat, email=fields.email,
        mobile=checked.mobile, surname=fields.surname, name=fields.name, language=fields.locale,
        sees_data_of=fields.sees if fields.is_auditor else [],
        contract_serial=None if fields.is_auditor else fields.contract_serial,
        address=fields.address or None,
        must_change_password=fields.must_change,
    )  # fmt: skip


async def send_password(
    conn: AsyncConnection, keyring: Keyring, actor: Actor, subject: Subject, checked: Checked
) -> None:
    """«Αποθήκευση και Αποστολή SMS»: the password, sealed, to the notifier's queue."""
    fields = checked.fields
    command = password_sms(
        keyring, notification_id=new_notification_id(), customer_id=subject.customer_id,
        mobile=checked.mobile, language=fields.locale, password=fields.password,
    )  # fmt: skip
    await add_event(conn, envelope_of(command, tenant_id=subject.customer_id))
    detail = {"notification_id": command.notification_id, "language": fields.locale}
    await audit.record(conn, actor, "password.sms", subject, **detail)


async def create_user(
    conn: AsyncConnection, keyring: Keyring, actor: Actor, checked: Checked
) -> str | Problems:
    """ADMIN-3/5: the user, and its password by SMS; the new customer's id, or the problems."""
    fields = checked.fields
    problems = await _sees_problems(conn, checked)
    if await tenants.find_user(conn, fields.username):
        problems["username"] = Message(N_("This username is taken."), level="error")
    if problems:
        return problems
    data = NewCustomer(
        username=fields.username, role=fields.role, password=fields.password,  # type: ignore[arg-type]
        **_changes(checked).model_dump(),
    )  # fmt: skip
    try:
        registered = await tenants.register_customer(conn, data)
    except UsernameTaken:  # taken between the check and the insert
        return {"username": Message(N_("This username is taken."), level="error")}
    subject = Subject(registered.customer_id, registered.username)
    detail = {"role": fields.role, "language": fields.locale}
    await audit.record(conn, actor, "user.created", subject, **detail)
    await send_password(conn, keyring, actor, subject, checked)
    return registered.customer_id


async def update_user(
    conn: AsyncConnection,
    keyring: Keyring,
    actor: Actor,
    user: TenantDetail,
    checked: Checked,
    *,
    sending: bool,
) -> Problems:
    """ADMIN-7: the edited data, and with ``sending`` the new password by SMS."""
    problems = await _sees_problems(conn, checked)
    if problems:
        return problems
    changes = _changes(checked)
    subject = Subject(user.tenant_id, user.username)
    await tenants.update_customer(conn, user.tenant_id, changes)
    changed = [name for name in EDITABLE if getattr(changes, name) != getattr(user, name)]
    if changed:
        await audit.record(conn, actor, "user.updated", subject, fields=changed)
    if sending:
        fields = checked.fields
        await tenants.set_password(
            conn, user.tenant_id, user.username, fields.password, must_change=fields.must_change
        )
        await send_password(conn, keyring, actor, subject, checked)
    return {}


async def send_username(conn: AsyncConnection, actor: Actor, user: TenantDetail) -> None:
    """«Αποστολή E-mail»: the username and the contract's serial, in the user's language; each
    press is a new message (a new notification id)."""
    command = username_email(
        notification_id=new_notification_id(), customer_id=user.tenant_id, email=user.email,
        language=user.language, username=user.username, serial=user.contract_serial or "-",
    )  # fmt: skip
    await add_event(conn, envelope_of(command, tenant_id=user.tenant_id))
    subject = Subject(user.tenant_id, user.username)
    detail = {"notification_id": command.notification_id, "language": user.language}
    await audit.record(conn, actor, "username.email", subject, **detail)
