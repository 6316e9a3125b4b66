"""Small typed helpers that read settings from environment variables.

A bad value stops start-up with a message that names the variable, so that a
misconfigured deployment fails at once rather than on the first request.
"""

from __future__ import annotations

import os
from collections.abc import Mapping


class ConfigurationError(RuntimeError):
    """An environment variable holds a value the settings cannot use."""


def env_str(name: str, default: str = "", environ: Mapping[str, str] = os.environ) -> str:
    return environ.get(name, default).strip()


def env_bool(name: str, default: bool = False, environ: Mapping[str, str] = os.environ) -> bool:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, environ: Mapping[str, str] = os.environ) -> int:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: str = "", environ: Mapping[str, str] = os.environ) -> list[str]:
    return [item.strip() for item in environ.get(name, default).split(",") if item.strip()]


def env_choice(
    name: str, default: str, choices: set[str], environ: Mapping[str, str] = os.environ
) -> str:
    value = env_str(name, default, environ)
    if value not in choices:
        raise ConfigurationError(f"{name} must be one of {sorted(choices)}, not {value!r}")
    return value
