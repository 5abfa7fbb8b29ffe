"""Greek is complete: every message of every template and Python module (as ``pybabel extract``
finds them with the service's ``babel.cfg``) has a Greek translation, none fuzzy, none stale,
each with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from portal_web.main import LOCALE_DIR
from webkit.i18n import load_catalogs

SERVICE_DIR = LOCALE_DIR.parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _extracted() -> set[str | tuple[str, ...]]:
    method_map = [
        ("src/portal_web/**.py", "python"),
        ("src/portal_web/templates/**.html", "jinja2"),
    ]
    options = {"src/portal_web/templates/**.html": {"trim_blocks": "true", "lstrip_blocks": "true"}}
    found: set[str | tuple[str, ...]] = set()
    for _, _, message, _, _ in extract_from_dir(
        str(SERVICE_DIR), method_map, options_map=options, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def _greek() -> dict[str | tuple[str, ...], object]:
    path = LOCALE_DIR / "el" / "LC_MESSAGES" / "messages.po"
    with Path(path).open("rb") as source:
        catalog = read_po(source, locale="el")
    assert not [m.id for m in catalog if m.id and m.fuzzy], "fuzzy entries"
    return {(m.id if isinstance(m.id, str) else tuple(m.id)): m.string for m in catalog if m.id}


def test_every_message_has_a_greek_translation() -> None:
    extracted, greek = _extracted(), _greek()
    assert len(extracted) > 200
    missing = sorted(str(m) for m in extracted if not _translated(greek.get(m)))
    assert not missing, f"run scripts/portal-messages.sh and translate: {missing}"
    stale = sorted(str(m) for m in set(greek) - extracted)
    assert not stale, f"no longer used (run scripts/portal-messages.sh): {stale}"


def test_translations_keep_their_placeholders() -> None:
    for message, translation in _greek().items():
        ids = [message] if isinstance(message, str) else list(message)
        texts = [translation] if isinstance(translation, str) else list(translation)  # type: ignore[call-overload]
        for text in texts:
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(ids[0])), message


def test_the_catalog_compiles_and_translates_the_seed_labels() -> None:
    greek = load_catalogs(LOCALE_DIR)["el"]
    assert greek.gettext("Identifier") == "Αναγνωριστικό"
    assert greek.gettext("Search") == "Αναζήτηση"
    assert greek.gettext("Continue as guest") == "Συνέχεια ως Επισκέπτης"
    assert greek.gettext("More") == "Περισσότερα"
    assert greek.gettext("Generate token") == "Παραγωγή Token"
    assert greek.gettext("Print") == "Εκτύπωση"


def _translated(value: object) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return isinstance(value, tuple | list) and all(str(v).strip() for v in value)
