"""The fixture companies the stand-in knows, written the way the live service writes them:
blank-padded CHAR fields, double spaces in names, nil for empty values, one or many activities,
and an activity description that starts with its own code.

VAT numbers pass the check digit and are not real taxpayers' (the demo customer's is the one
``make run`` creates). A valid number absent from here answers ``TAXPAYER_NF``; those in
``NEVER_BUSINESS`` answer ``EPIT_NF``.
"""

from __future__ import annotations

from typing import TypedDict


class Company(TypedDict):
    basic: dict[str, str | None]  # basic_rec children, in order; None = xsi:nil
    activities: list[tuple[str, str, str, str]]  # code, description, kind, kind description


def _basic(**fields: str | None) -> dict[str, str | None]:
    return fields


COMPANIES: dict[str, Company] = {
    # The demo customer: many activities, padded fields, a double space in its name.
    "094420307": {
        "basic": _basic(
            afm="094420307",
            doy="1159",
            doy_descr="ΦΑΕ ΑΘΗΝΩΝ                    ",
            i_ni_flag_descr="ΜΗ ΦΠ",
            deactivation_flag="1",
            deactivation_flag_descr="ΕΝΕΡΓΟΣ ΑΦΜ",
            firm_flag_descr="ΕΠΙΤΗΔΕΥΜΑΤΙΑΣ",
            onomasia="DEMO  ΑΝΩΝΥΜΗ ΕΤΑΙΡΕΙΑ ΛΟΓΙΣΜΙΚΟΥ                                ",
            commer_title="DEMO Α.Ε.          ",
            legal_status_descr="ΑΕ",
            postal_address="ΛΕΩΦ ΣΥΓΓΡΟΥ        ",
            postal_address_no="100  ",
            postal_zip_code="11741",
            postal_area_description="ΑΘΗΝΑ          ",
            regist_date="2015-03-02",
            stop_date=None,
            normal_vat_system_flag="Y",
        ),
        "activities": [
            ("62010000", "ΥΠΗΡΕΣΙΕΣ ΠΡΟΓΡΑΜΜΑΤΙΣΜΟΥ ΗΛΕΚΤΡΟΝΙΚΩΝ ΥΠΟΛΟΓΙΣΤΩΝ", "1", "ΚΥΡΙΑ"),
            (
                "62020000",
                "62020000 ΥΠΗΡΕΣΙΕΣ ΠΑΡΟΧΗΣ ΣΥΜΒΟΥΛΩΝ ΣΧΕΤΙΚΑ ΜΕ ΤΟΥΣ Η/Υ",
                "2",
                "ΔΕΥΤΕΡΕΥΟΥΣΑ",
            ),
            ("63110000", "ΕΠΕΞΕΡΓΑΣΙΑ ΔΕΔΟΜΕΝΩΝ, ΦΙΛΟΞΕΝΙΑ ΙΣΤΟΣΕΛΙΔΩΝ", "2", "ΔΕΥΤΕΡΕΥΟΥΣΑ"),
        ],
    },
    # The demo customer's client (RequestReceiverInfo knows it too): one activity, no trade name.
    "090000045": {
        "basic": _basic(
            afm="090000045",
            doy="1104",
            doy_descr="Δ΄ ΑΘΗΝΩΝ",
            i_ni_flag_descr="ΜΗ ΦΠ",
            deactivation_flag="1",
            deactivation_flag_descr="ΕΝΕΡΓΟΣ ΑΦΜ",
            firm_flag_descr="ΕΠΙΤΗΔΕΥΜΑΤΙΑΣ",
            onomasia="ΔΟΚΙΜΑΣΤΙΚΟΣ ΠΕΛΑΤΗΣ ΕΜΠΟΡΙΚΗ ΕΠΕ",
            commer_title=None,
            legal_status_descr="ΕΠΕ",
            postal_address="ΕΡΜΟΥ",
            postal_address_no="12",
            postal_zip_code="10563",
            postal_area_description="ΑΘΗΝΑ",
            regist_date="2009-11-20",
            stop_date=None,
            normal_vat_system_flag="Y",
        ),
        "activities": [
            ("47191000", "ΛΙΑΝΙΚΟ ΕΜΠΟΡΙΟ ΣΕ ΜΗ ΕΞΕΙΔΙΚΕΥΜΕΝΑ ΚΑΤΑΣΤΗΜΑΤΑ", "1", "ΚΥΡΙΑ")
        ],
    },
    # A business that stopped: deactivation_flag 2, a stop date, no activities left.
    "801000000": {
        "basic": _basic(
            afm="801000000",
            doy="4234",
            doy_descr="ΘΕΣΣΑΛΟΝΙΚΗΣ",
            i_ni_flag_descr="ΜΗ ΦΠ",
            deactivation_flag="2",
            deactivation_flag_descr="ΑΠΕΝΕΡΓΟΠΟΙΗΜΕΝΟΣ ΑΦΜ",
            firm_flag_descr="ΠΡΩΗΝ ΕΠΙΤΗΔΕΥΜΑΤΙΑΣ",
            onomasia="ΔΟΚΙΜΑΣΤΙΚΗ ΠΑΥΣΗ ΙΚΕ",
            commer_title=None,
            legal_status_descr="ΙΚΕ",
            postal_address="ΤΣΙΜΙΣΚΗ",
            postal_address_no=None,
            postal_zip_code="54623",
            postal_area_description="ΘΕΣΣΑΛΟΝΙΚΗ",
            regist_date="2012-05-14",
            stop_date="2021-12-31",
            normal_vat_system_flag="N",
        ),
        "activities": [],
    },
}

NEVER_BUSINESS = frozenset({"803000007"})
