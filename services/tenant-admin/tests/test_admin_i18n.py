"""The admin app's Greek is complete: every message of its templates and Python (as
``pybabel extract`` finds them with its ``babel.cfg``, webkit's error titles included) has a
Greek translation, none fuzzy, none stale, each with the same placeholders; the seed's labels
read as seed 000 writes them."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tenant_admin.app.site import LOCALE_DIR
from webkit.i18n import load_catalogs

SERVICE_DIR = LOCALE_DIR.parents[3]
WEBKIT_DIR = SERVICE_DIR.parents[1] / "libs" / "webkit"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
TEMPLATES = "src/tenant_admin/app/templates/**.html"


def _extract(directory: Path, method_map: list[tuple[str, str]]) -> set[str | tuple[str, ...]]:
    options = {TEMPLATES: {"trim_blocks": "true", "lstrip_blocks": "true"}}
    found: set[str | tuple[str, ...]] = set()
    for _, _, message, _, _ in extract_from_dir(
        str(directory), method_map, options_map=options, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def _extracted() -> set[str | tuple[str, ...]]:
    app = [("src/tenant_admin/app/**.py", "python"), (TEMPLATES, "jinja2")]
    return _extract(SERVICE_DIR, app) | _extract(WEBKIT_DIR, [("src/webkit/errors.py", "python")])


def _greek() -> dict[str | tuple[str, ...], object]:
    with Path(LOCALE_DIR / "el" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source, locale="el")
    assert not [m.id for m in catalog if m.id and m.fuzzy], "fuzzy entries"
    return {(m.id if isinstance(m.id, str) else tuple(m.id)): m.string for m in catalog if m.id}


def _translated(value: object) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return isinstance(value, tuple | list) and all(str(v).strip() for v in value)


def test_every_message_has_a_greek_translation() -> None:
    extracted, greek = _extracted(), _greek()
    assert len(extracted) > 200
    missing = sorted(str(m) for m in extracted if not _translated(greek.get(m)))
    assert not missing, f"run scripts/admin-messages.sh and translate: {missing}"
    stale = sorted(str(m) for m in set(greek) - extracted)
    assert not stale, f"no longer used (run scripts/admin-messages.sh): {stale}"


def test_translations_keep_their_placeholders() -> None:
    for message, translation in _greek().items():
        ids = [message] if isinstance(message, str) else list(message)
        texts = [translation] if isinstance(translation, str) else list(translation)  # type: ignore[call-overload]
        for text in texts:
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(ids[0])), message


def test_the_seed_labels_read_as_seed_000_writes_them() -> None:
    greek = load_catalogs(LOCALE_DIR)["el"]
    for english, seed in [
        ("Users", "Χρήστες"), ("Add a new user", "Προσθήκη Νέου Χρήστη"),
        ("More", "Περισσότερα"), ("Check", "Έλεγχος"), ("Generate", "Παραγωγή"),
        ("Generate new", "Παραγωγή Νέου"), ("Save and send SMS", "Αποθήκευση και Αποστολή SMS"),
        ("Create", "Δημιουργία"), ("Recreate", "Επαναδημιουργία"),
        ("Resend all", "Επαναποστολή Όλων"), ("Log out", "Αποσύνδεση"), ("Log in", "Σύνδεση"),
        ("Sees data of", "Βλέπει δεδομένα των"), ("AADE user", "Χρήστης ΑΑΔΕ"),
        ("Customer", "Πελάτης"), ("Company name", "Επωνυμία"), ("VAT number", "ΑΦΜ"),
        ("Mobile phone", "Κινητό Τηλέφωνο"), ("User details", "Στοιχεία Χρήστη"),
        ("Login details", "Στοιχεία Σύνδεσης"), ("Resend invoices", "Επαναποστολή Παραστατικών"),
        ("Must change the password after login", "Αλλαγή συνθηματικού χρήστη μετά από Login"),
    ]:  # fmt: skip
        assert greek.gettext(english) == seed, english
