"""Settings shared by every service: read from the environment, ``EINV_*`` names only.

Every field is read from exactly one variable: ``EINV_<FIELD>`` (upper case), or the name
given by ``EnvName`` metadata (``port: Annotated[int, EnvName("EINV_AADE_SIM_PORT")] = 8090``)
when one shell runs several services that must not share it. Nothing else is read: no bare
``PORT``/``HOST``/``DATABASE_URL`` that honcho or a container platform sets, no alias without
the prefix, no lower-case spelling. Keyword construction uses the Python field names
(``AadeSimSettings(port=0)``). README's "Environment variables" lists every name
(``env_names`` gives a class's names; kit's tests hold README to it).

Secrets have development defaults so that ``make run`` works on a fresh clone; outside the
``dev``/``test`` environments a default secret is refused at start-up, and so is a weak one
(``weak_secret``: too few distinct characters, a repeated pattern, or one secret used twice).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from kit.secrets import DEV_SEAL_KEYS, Keyring

ENV_PREFIX = "EINV_"

DEV_SECRET_PREFIX = "dev-only-"
DEV_API_TOKEN_SECRET = DEV_SECRET_PREFIX + "api-token-secret-change-me-0123456789"
DEV_INTERNAL_TOKEN_SECRET = DEV_SECRET_PREFIX + "internal-token-secret-change-me-012345"
DEV_OPERATOR_TOKEN_SECRET = DEV_SECRET_PREFIX + "operator-token-secret-change-me-01234"

SECRET_FIELDS = ("api_token_secret", "internal_token_secret", "operator_token_secret")
# What `openssl rand -hex 32` or `secrets.token_urlsafe(32)` always passes, and typed or
# patterned strings ('a' * 32, 'abcd' * 8, a word repeated) do not.
MIN_DISTINCT_SYMBOLS = 10
MIN_DISTINCT_KEY_BYTES = 16


def weak_secret(value: str) -> str | None:
    """Why ``value`` is too weak to sign or seal anything outside development, if it is."""
    if value.startswith(DEV_SECRET_PREFIX):
        return "the development default"
    if len(set(value)) < MIN_DISTINCT_SYMBOLS:
        return f"fewer than {MIN_DISTINCT_SYMBOLS} distinct characters"
    for period in range(1, len(value) // 2 + 1):
        if len(value) % period == 0 and value == value[:period] * (len(value) // period):
            return "a repeated pattern"
    return None


def weak_keys(keyring: Keyring) -> str | None:
    for kid, key in keyring.keys.items():
        if len(set(key)) < MIN_DISTINCT_KEY_BYTES:
            return f"key {kid!r} is not random ({len(set(key))} distinct bytes)"
    return None


@dataclass(frozen=True, slots=True)
class EnvName:
    """Field metadata: the one environment variable the field is read from."""

    name: str

    def __post_init__(self) -> None:
        if not self.name.startswith(ENV_PREFIX) or self.name != self.name.upper():
            raise ValueError(f"environment names are upper-case {ENV_PREFIX}*: {self.name!r}")


def env_name(field_name: str, field: FieldInfo) -> str:
    """The variable ``field_name`` is read from: its ``EnvName``, else ``EINV_<FIELD>``."""
    if field.validation_alias is not None:
        # pydantic-settings reads aliases without the prefix (the bare-``PORT`` leak).
        raise TypeError(f"{field_name}: name its variable with EnvName, not validation_alias")
    declared = [m.name for m in field.metadata if isinstance(m, EnvName)]
    return declared[-1] if declared else ENV_PREFIX + field_name.upper()


def env_names(settings_cls: type[BaseSettings]) -> dict[str, str]:
    """Field name → the environment variable it is read from, for every field of the class."""
    return {name: env_name(name, field) for name, field in settings_cls.model_fields.items()}


class DocumentedEnvSource(EnvSettingsSource):
    """The environment, looked up only under each field's ``env_name`` (exact case).

    pydantic-settings' own lookup would also try every alias without the prefix and, with
    ``populate_by_name``, ``EINV_<field>`` beside the alias; this keeps its parsing (JSON for
    tuples, ``None`` handling) and replaces only which names are looked at.
    """

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        # The key is the field name: constructing by name is how every caller passes values.
        return self.env_vars.get(env_name(field_name, field)), field_name, False


class CommonSettings(BaseSettings):
    """Infrastructure every service needs; subclasses add their own fields."""

    # case_sensitive: ``einv_port`` or ``Port`` are not documented names either.
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, case_sensitive=True, extra="ignore")

    environment: Literal["dev", "test", "prod"] = "dev"
    log_level: str = "INFO"
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    # The catalog database (owned by tenant-admin, read by the gateway).
    catalog_dsn: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/einv_catalog"
    api_token_secret: str = Field(default=DEV_API_TOKEN_SECRET, min_length=32)
    internal_token_secret: str = Field(default=DEV_INTERNAL_TOKEN_SECRET, min_length=32)
    operator_token_secret: str = Field(default=DEV_OPERATOR_TOKEN_SECRET, min_length=32)
    token_issuer: str = "einvoicing"
    tenant_admin_url: str = "http://127.0.0.1:8002"
    invoice_service_url: str = "http://127.0.0.1:8003"
    mydata_sync_url: str = "http://127.0.0.1:8004"
    # Keys that seal secrets kept at rest (kit.secrets): kid:base64(32 bytes), current first.
    seal_keys: str = DEV_SEAL_KEYS

    def keyring(self) -> Keyring:
        return Keyring.parse(self.seal_keys)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        env_names(cls)  # a field declared with validation_alias fails at import, not in prod

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Keyword arguments first, then the documented variables; no .env or secrets files.
        return (init_settings, DocumentedEnvSource(settings_cls))

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> CommonSettings:
        if self.environment in ("dev", "test"):
            return self
        problems = [
            f"EINV_{f.upper()} ({why})"
            for f in SECRET_FIELDS
            if (why := weak_secret(getattr(self, f)))
        ]
        if len({getattr(self, f) for f in SECRET_FIELDS}) < len(SECRET_FIELDS):
            problems.append("the token secrets are not all different")
        seal_problem = "the development default" if self.seal_keys == DEV_SEAL_KEYS else None
        if (why := seal_problem or weak_keys(self.keyring())) is not None:
            problems.append(f"EINV_SEAL_KEYS ({why})")
        if problems:
            raise ValueError(
                f"default or weak secrets are refused in environment {self.environment!r}: "
                + "; ".join(problems)
            )
        return self
