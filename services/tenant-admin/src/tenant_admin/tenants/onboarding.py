"""create-tenant: customer, user, database, package and API token in one operator action.

Three steps with their own transactions (see ``provisioning.service``): register (customer,
user, placement, package), provision the database, then issue the token. If provisioning
fails the customer stays ``failed`` without a token; ``resume-provisioning`` then
``issue-token`` finish the job.
"""

from __future__ import annotations

from kit.db import workflow_step
from tenant_admin.packages.service import add_package
from tenant_admin.provisioning.service import provision
from tenant_admin.runtime import AdminRuntime
from tenant_admin.tenants.schemas import CreateTenantRequest, TenantCreated
from tenant_admin.tenants.service import register_customer
from tenant_admin.tokens.service import issue_token


async def create_tenant(runtime: AdminRuntime, request: CreateTenantRequest) -> TenantCreated:
    is_customer = request.role == "customer"
    async with workflow_step(runtime.engine) as conn:
        registered = await register_customer(conn, request)
        package = None
        if is_customer:
            package = await add_package(conn, registered.customer_id, request.calls, request.days)
    if registered.database:
        await provision(runtime.engine, registered.customer_id)
    token = None
    if is_customer:
        async with workflow_step(runtime.engine) as conn:
            token = await issue_token(
                conn,
                runtime.api_codec,
                registered.customer_id,
                registered.username,
                runtime.settings.api_token_ttl_seconds,
            )
    return TenantCreated(
        tenant_id=registered.customer_id,
        username=registered.username,
        database=registered.database,
        server=registered.server,
        status="active" if registered.database else None,
        api_token=token.api_token if token else None,
        initial_password=registered.generated_password,
        package=package,
    )
