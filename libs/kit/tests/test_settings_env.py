"""Settings read only their documented ``EINV_*`` names, never ``PORT``, ``HOST``, ``DATABASE_URL``.

honcho sets ``PORT`` for every process and container platforms set ``HOST``, ``DATABASE_URL`` and
the like; a setting that read one of them listened on the wrong port (`make run` answered 503).
These tests walk every settings class of every service (found on disk, so a new service is
covered) and kit's ``CommonSettings``: bare and platform names leave every value at its default,
each field's documented name does change it, and README's environment section lists them all.
"""

from __future__ import annotations

import importlib
import json
import os
import re
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import pytest
from pydantic import Field
from pydantic.fields import FieldInfo

from kit.settings import CommonSettings, EnvName, env_names

REPO_ROOT = Path(__file__).resolve().parents[3]
# Names that process managers, PaaS and container platforms set for their own purposes.
PLATFORM_NAMES = {
    "PORT": "5000",
    "HOST": "0.0.0.0",
    "HOSTNAME": "wrong-host",
    "BIND_HOST": "0.0.0.9",
    "DATABASE_URL": "postgresql://wrong@127.0.0.9/nope",
    "AMQP_URL": "amqp://wrong:wrong@127.0.0.9:1/",
    "RABBITMQ_URL": "amqp://wrong:wrong@127.0.0.9:1/",
    "CLOUDAMQP_URL": "amqp://wrong:wrong@127.0.0.9:1/",
    "ENVIRONMENT": "prod",
    "ENV": "prod",
    "LOG_LEVEL": "NOPE",
    "PUBLIC_URL": "http://wrong.invalid",
    "WEB_CONCURRENCY": "7",
    "SECRET_KEY": "wrong-secret-wrong-secret-wrong-secret",
}
# Fields whose value must keep a shape (JSON) that the generic "different value" would break.
SPECIAL_VALUES: dict[str, tuple[str, object]] = {
    "receivers_json": ('{"999999999": {"providers": [], "emails": []}}',) * 2,
}


def settings_classes() -> list[type[CommonSettings]]:
    """kit's CommonSettings and every settings class in services/*/src/*/settings.py."""
    found: dict[str, type[CommonSettings]] = {"kit.CommonSettings": CommonSettings}
    for path in sorted(REPO_ROOT.glob("services/*/src/*/settings.py")):
        module = importlib.import_module(f"{path.parent.name}.settings")
        for value in vars(module).values():
            if _defined_settings_class(value, module.__name__):
                found[f"{module.__name__}.{value.__name__}"] = value
    return list(found.values())


def _defined_settings_class(value: object, module: str) -> bool:
    return (
        isinstance(value, type) and issubclass(value, CommonSettings) and value.__module__ == module
    )


CLASSES = settings_classes()


def other_value(name: str, field: FieldInfo, default: Any) -> tuple[str, object]:
    """A valid value that differs from the default: (environment text, parsed value)."""
    if name in SPECIAL_VALUES:
        return SPECIAL_VALUES[name]
    annotation = field.annotation
    if get_origin(annotation) is Literal:
        choice = next(arg for arg in get_args(annotation) if arg != default)
        return str(choice), choice
    if bool in get_args(annotation) or isinstance(default, bool):
        return ("false", False) if default else ("true", True)
    if isinstance(default, int | float):
        changed = default + (1 if isinstance(default, int) else 1.5)
        return str(changed), changed
    if isinstance(default, tuple):
        longer = (*default, default[-1] + 1)
        return json.dumps(list(longer)), longer
    text = "/tmp/einv-other" if default is None else f"{default}-other"
    return text, text


def undocumented_names(cls: type[CommonSettings]) -> dict[str, str]:
    """For each field, the names it must NOT be read from, with a value it would show up as."""
    documented = set(env_names(cls).values())
    wrong: dict[str, str] = dict(PLATFORM_NAMES)
    for name, env in env_names(cls).items():
        text, _ = other_value(name, cls.model_fields[name], cls.model_fields[name].default)
        for candidate in (name.upper(), name, "EINV_" + name.upper(), env.lower()):
            if candidate not in documented:
                wrong[candidate] = text
    return wrong


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No EINV_ variable and none of the names under test: every setting at its default."""
    names = {n for cls in CLASSES for n in undocumented_names(cls)}
    for name in [*os.environ]:
        if name.startswith("EINV_") or name in names:
            monkeypatch.delenv(name)
    return monkeypatch


def test_every_service_settings_class_is_found() -> None:
    services = {p.parent.name for p in REPO_ROOT.glob("services/*/src/*/settings.py")}
    assert services >= {"api_gateway", "tenant_admin", "invoice_service", "mydata_sync", "aade_sim"}
    assert {cls.__module__.split(".")[0] for cls in CLASSES} >= services


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_bare_and_platform_names_are_ignored(
    cls: type[CommonSettings], clean_env: pytest.MonkeyPatch
) -> None:
    defaults = cls().model_dump()
    for name, value in undocumented_names(cls).items():
        clean_env.setenv(name, value)
    assert cls().model_dump() == defaults


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_documented_names_take_effect(
    cls: type[CommonSettings], clean_env: pytest.MonkeyPatch
) -> None:
    expected: dict[str, object] = {}
    for name, env in env_names(cls).items():
        text, expected[name] = other_value(
            name, cls.model_fields[name], cls.model_fields[name].default
        )
        clean_env.setenv(env, text)
    assert cls().model_dump() == expected


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_keyword_construction_uses_field_names(cls: type[CommonSettings]) -> None:
    # Tests and testkit build settings by field name (MydataSyncSettings(port=0), ...).
    for name, field in cls.model_fields.items():
        _, value = other_value(name, field, field.default)
        keywords: dict[str, Any] = {name: value}
        assert getattr(cls(**keywords), name) == value


def test_every_name_read_is_in_readme() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Environment variables\n", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"EINV_[A-Z0-9_]+", section))
    missing = {
        f"{cls.__name__}.{field}: {env}"
        for cls in CLASSES
        for field, env in env_names(cls).items()
        if env not in listed
    }
    assert not missing, "README's 'Environment variables' does not list: " + ", ".join(
        sorted(missing)
    )


def test_names_must_carry_the_prefix() -> None:
    with pytest.raises(ValueError, match="EINV_"):
        EnvName("PORT")
    with pytest.raises(ValueError, match="EINV_"):
        EnvName("EINV_port")


def test_a_validation_alias_is_refused_when_the_class_is_defined() -> None:
    # An alias is read from the environment without the prefix: the very leak fixed here.
    with pytest.raises(TypeError, match="EnvName"):

        class Leaky(CommonSettings):
            port: int = Field(default=1, validation_alias="port")
