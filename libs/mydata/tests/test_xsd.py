from pathlib import Path

import pytest

from mydata.errors import InvoiceValidationError
from mydata.settings import schema_dir
from mydata.xsd import SchemaValidator

SYNTHETIC_INVOICES = [
    "synthetic_11.1_retail_receipt.xml",
    "synthetic_9.3_delivery_note.xml",
    "synthetic_provider_1.1_transmission_failure_1.xml",
    "synthetic_provider_2.1_pos_signature_download_url.xml",
]


def _positive(samples: Path) -> list[Path]:
    invoices = sorted((samples / "invoices").glob("*.xml"))
    return invoices + [samples / "synthetic" / name for name in SYNTHETIC_INVOICES]


def test_every_positive_sample_is_valid(samples: Path, validator: SchemaValidator) -> None:
    checked = _positive(samples)
    assert len(checked) == 19
    problems = {p.name: validator.validate(p.read_bytes()) for p in checked}
    assert {name: errors for name, errors in problems.items() if errors} == {}


def test_invalid_samples_fail(samples: Path, validator: SchemaValidator) -> None:
    invalid = sorted((samples / "_invalid").glob("*.xml"))
    assert len(invalid) == 2
    for path in invalid:
        errors = validator.validate(path.read_bytes())
        assert errors and all(e.startswith("line ") for e in errors), path.name


def test_climate_fee_placeholder_mark_is_reported_with_its_line(
    samples: Path, validator: SchemaValidator
) -> None:
    errors = validator.validate(
        (samples / "_invalid" / "ppapapetrou76_8.2_climate_fee.xml").read_bytes()
    )
    assert any("correlatedInvoices" in e for e in errors)


def test_not_xml_gives_one_readable_error(validator: SchemaValidator) -> None:
    (error,) = validator.validate(b"<InvoicesDoc><unclosed></InvoicesDoc>")
    assert error.startswith("line 1:")


def test_check_raises_mydata_sync_003(validator: SchemaValidator) -> None:
    with pytest.raises(InvoiceValidationError) as caught:
        validator.check(b'<InvoicesDoc xmlns="http://www.aade.gr/myDATA/invoice/v1.0"/>')
    assert caught.value.code == "mydata_sync_003"
    assert caught.value.problems[0].startswith("line 1: ")


def test_entities_are_not_expanded(validator: SchemaValidator) -> None:
    doc = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    assert validator.validate(doc) == ["documents with a DTD are refused"]


def test_schema_dir_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("EINV_MYDATA_XSD_DIR", str(tmp_path))
    assert schema_dir() == tmp_path.resolve()
    monkeypatch.delenv("EINV_MYDATA_XSD_DIR")
    monkeypatch.setenv("EINV_SHARED_DIR", str(tmp_path))
    assert schema_dir() == (tmp_path / "mydata-xsd").resolve()
    monkeypatch.delenv("EINV_SHARED_DIR")
    assert schema_dir() == (Path.cwd() / "../shared/mydata-xsd").resolve()


def test_missing_schema_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="EINV_MYDATA_XSD_DIR"):
        SchemaValidator(tmp_path).validate(b"<x/>")


async def test_validation_from_threads(samples: Path) -> None:
    import asyncio

    fresh = SchemaValidator()  # first use races to compile: the lock must make it happen once
    docs = [p.read_bytes() for p in _positive(samples)] * 2
    results = await asyncio.gather(*(asyncio.to_thread(fresh.validate, d) for d in docs))
    assert all(r == [] for r in results)
