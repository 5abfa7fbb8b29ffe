"""Where the shared myDATA schemas live: a setting, never a machine path."""

from __future__ import annotations

import os
from pathlib import Path

XSD_DIR_ENV = "EINV_MYDATA_XSD_DIR"
SHARED_DIR_ENV = "EINV_SHARED_DIR"
DEFAULT_SHARED_DIR = "../shared"  # relative to the working directory (the repo root in tests)


def schema_dir() -> Path:
    """``$EINV_MYDATA_XSD_DIR``, else ``$EINV_SHARED_DIR/mydata-xsd`` (default ``../shared``)."""
    explicit = os.environ.get(XSD_DIR_ENV)
    if explicit:
        return Path(explicit).resolve()
    shared = os.environ.get(SHARED_DIR_ENV) or DEFAULT_SHARED_DIR
    return (Path(shared) / "mydata-xsd").resolve()
