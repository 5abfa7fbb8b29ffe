"""XSD validation of outgoing ``InvoicesDoc`` documents.

The compiled schema is built lazily, once per :class:`SchemaValidator`, under a lock. Validation of
a large document takes long enough to stall an event loop: async callers must run it off the loop,
``errors = await asyncio.to_thread(validator.validate, xml_bytes)``.
"""

from __future__ import annotations

import threading
from pathlib import Path

from lxml import etree

from mydata._xmlparse import UnsafeXml, parse_xml, secure_parser
from mydata.errors import InvoiceValidationError
from mydata.settings import schema_dir

INVOICES_DOC_XSD = "InvoicesDoc-v2.0.1.xsd"


class SchemaValidator:
    """Validates documents against one myDATA XSD (``InvoicesDoc-v2.0.1.xsd`` by default)."""

    def __init__(self, directory: Path | None = None, filename: str = INVOICES_DOC_XSD) -> None:
        self._directory = directory
        self._filename = filename
        self._schema: etree.XMLSchema | None = None
        self._load_lock = threading.Lock()
        # An XMLSchema keeps its error_log on the instance, so one validation at a time per schema.
        self._validate_lock = threading.Lock()

    @property
    def path(self) -> Path:
        return (self._directory or schema_dir()) / self._filename

    def _compiled(self) -> etree.XMLSchema:
        if self._schema is None:
            with self._load_lock:
                if self._schema is None:
                    self._schema = self._load()
        return self._schema

    def _load(self) -> etree.XMLSchema:
        path = self.path
        if not path.is_file():
            raise FileNotFoundError(f"myDATA schema not found: {path} (set EINV_MYDATA_XSD_DIR)")
        # Parsed from the file path so the relative xs:include/xs:import resolve next to it.
        return etree.XMLSchema(etree.parse(str(path), parser=secure_parser()))

    def load(self) -> None:
        """Compile now (e.g. at service start-up) instead of on the first validation."""
        self._compiled()

    def validate(self, xml_bytes: bytes) -> list[str]:
        """Readable problems (``line N: message``); an empty list means the document is valid."""
        schema = self._compiled()
        try:
            document = parse_xml(xml_bytes)
        except etree.XMLSyntaxError as exc:
            return [f"line {exc.lineno}: {exc.msg}"]
        except UnsafeXml as exc:
            return [str(exc)]
        with self._validate_lock:
            if schema.validate(document):
                return []
            return [f"line {e.line}: {e.message}" for e in schema.error_log]

    def check(self, xml_bytes: bytes) -> None:
        """Raise :class:`InvoiceValidationError` (``mydata_sync_003``) listing the XSD problems."""
        problems = self.validate(xml_bytes)
        if problems:
            raise InvoiceValidationError(problems)


_default: SchemaValidator | None = None
_default_lock = threading.Lock()


def default_validator() -> SchemaValidator:
    """Process-wide ``InvoicesDoc`` validator located through the settings."""
    global _default
    with _default_lock:
        if _default is None:
            _default = SchemaValidator()
        return _default
