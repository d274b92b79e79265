"""Certificate numbers and verification URLs of NGC and PCGS."""

from __future__ import annotations

import pytest

from coinstack_graphql.grading.certificates import (
    CertificateError,
    validate_cert_number,
    verification_url,
)


def test_ngc_url_with_and_without_grade() -> None:
    assert verification_url("ngc", "4934571-002") == (
        "https://www.ngccoin.com/certlookup/4934571-002/"
    )
    assert verification_url("NGC", "4934571-002", 63) == (
        "https://www.ngccoin.com/certlookup/4934571-002/63/"
    )


def test_pcgs_url_ignores_grade() -> None:
    assert verification_url("pcgs", "12345678") == "https://www.pcgs.com/cert/12345678"
    assert verification_url("PCGS", "1234567", 58) == "https://www.pcgs.com/cert/1234567"


@pytest.mark.parametrize("service", ["self", "dealer", "Dealer"])
def test_self_and_dealer_have_no_url(service: str) -> None:
    assert verification_url(service, "COA-17") is None


@pytest.mark.parametrize(
    ("service", "raw", "normalised"),
    [
        ("ngc", "4934571-002", "4934571-002"),
        ("ngc", " 4934571-002 ", "4934571-002"),
        ("ngc", "4934571002", "4934571-002"),
        ("ngc", "4934571–002", "4934571-002"),
        ("ngc", "#4934571 - 002", "4934571-002"),
        ("pcgs", "12345678", "12345678"),
        ("pcgs", " 1234567", "1234567"),
        ("pcgs", "#01234567", "01234567"),
        ("dealer", " COA 17 ", "COA 17"),
    ],
)
def test_validate_cert_number_normalises(service: str, raw: str, normalised: str) -> None:
    assert validate_cert_number(service, raw) == normalised


@pytest.mark.parametrize(
    ("service", "cert", "message"),
    [
        ("ngc", "493457-002", "7 digits, a dash and 3 digits"),
        ("ngc", "4934571-02", "7 digits"),
        ("ngc", "4934571-0021", "7 digits"),
        ("ngc", "ABCDEFG-002", "7 digits"),
        ("ngc", "12345678", "7 digits"),
        ("ngc", "", "empty"),
        ("pcgs", "123456", "7 or 8 digits"),
        ("pcgs", "123456789", "7 or 8 digits"),
        ("pcgs", "1234567a", "7 or 8 digits"),
        ("pcgs", "4934571-002", "7 or 8 digits"),
        ("pcgs", "   ", "empty"),
        ("dealer", "", "empty"),
        ("anacs", "12345678", "unknown grading service"),
    ],
)
def test_invalid_cert_numbers(service: str, cert: str, message: str) -> None:
    with pytest.raises(CertificateError, match=message):
        validate_cert_number(service, cert)


def test_invalid_cert_makes_no_url() -> None:
    with pytest.raises(CertificateError):
        verification_url("ngc", "12345")
    with pytest.raises(CertificateError):
        verification_url("pcgs", "12-34")
    with pytest.raises(CertificateError, match="unknown grading service"):
        verification_url("icg", "12345678")


def test_ngc_url_rejects_off_scale_grade() -> None:
    with pytest.raises(CertificateError, match="Sheldon"):
        verification_url("ngc", "4934571-002", 7)


def test_certificate_error_is_a_value_error() -> None:
    assert issubclass(CertificateError, ValueError)
