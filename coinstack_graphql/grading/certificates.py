"""Grading-service certificate numbers and their public verification URLs."""

from __future__ import annotations

import re

from coinstack_graphql.grading.ladder import GradeError, validate_numeric


class CertificateError(ValueError):
    """A certificate number or service that cannot be verified as given."""


_SERVICES = ("ngc", "pcgs", "self", "dealer")
_UNVERIFIABLE = frozenset({"self", "dealer"})
# NGC prints "4934571-002"; the same number typed without the dash is still that cert.
_NGC_CERT = re.compile(r"(\d{7})\s*-?\s*(\d{3})")
_PCGS_CERT = re.compile(r"\d{7,8}")
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-"})


def _service_key(service: str) -> str:
    key = str(service).strip().lower()
    if key not in _SERVICES:
        raise CertificateError(
            f"unknown grading service {service!r}; expected one of {', '.join(_SERVICES)}"
        )
    return key


def validate_cert_number(service: str, cert: str) -> str:
    """Return the normalised certificate number, or raise CertificateError."""
    key = _service_key(service)
    text = cert.strip().translate(_DASHES).removeprefix("#").strip() if cert else ""
    if not text:
        raise CertificateError(f"{key.upper()} certificate number is empty")
    if key == "ngc":
        match = _NGC_CERT.fullmatch(text)
        if match is None:
            raise CertificateError(
                f"NGC certificate numbers are 7 digits, a dash and 3 digits "
                f"(e.g. 4934571-002); got {cert!r}"
            )
        return f"{match[1]}-{match[2]}"
    if key == "pcgs":
        if _PCGS_CERT.fullmatch(text) is None:
            raise CertificateError(f"PCGS certificate numbers are 7 or 8 digits; got {cert!r}")
        return text
    # Self-issued and dealer certificates follow no public format.
    return text


def verification_url(
    service: str, certification_number: str, grade_numeric: int | None = None
) -> str | None:
    """The public cert-lookup URL, or None for self/dealer certificates."""
    key = _service_key(service)
    if key in _UNVERIFIABLE:
        return None
    cert = validate_cert_number(key, certification_number)
    if key == "pcgs":
        return f"https://www.pcgs.com/cert/{cert}"
    if grade_numeric is None:
        return f"https://www.ngccoin.com/certlookup/{cert}/"
    try:
        validate_numeric(grade_numeric)
    except GradeError as exc:
        raise CertificateError(str(exc)) from exc
    return f"https://www.ngccoin.com/certlookup/{cert}/{grade_numeric}/"
