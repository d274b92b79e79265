"""Prices to US dollars with the configured rates (USD per unit of a currency).

Prices are stored in the currency they were paid or asked in; conversion happens when they
are read, so a corrected rate corrects every valuation computed after it. The maths is
Decimal throughout, rounded half-up to cents. A currency without a configured rate is an
error, never a silent 1:1 conversion.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from coinstack_graphql.errors import DomainError

CENTS = Decimal("0.01")
RATES_SETTING = "COINSTACK_CURRENCY_RATES"
_CODE = re.compile(r"[A-Z]{3}")


class UnknownCurrency(DomainError):
    """A currency with no configured rate; the message says which rate to configure."""

    def __init__(
        self, currency: str, rates: Mapping[str, Decimal], *, field: list[str] | None = None
    ) -> None:
        configured = ", ".join(sorted({"USD", *(code.upper() for code in rates)}))
        super().__init__(
            f"no exchange rate for {currency}: add {currency}=<USD per {currency}> to "
            f"{RATES_SETTING} (configured: {configured})",
            field=field,
        )
        self.currency = currency


def money(amount: Decimal) -> Decimal:
    """`amount` rounded half-up to cents."""
    return amount.quantize(CENTS, rounding=ROUND_HALF_UP)


def currency_code(value: str | None) -> str:
    """The upper-case ISO code; a missing currency is USD, as the columns' default says."""
    if value is None:
        return "USD"
    code = value.strip().upper()
    if not _CODE.fullmatch(code):
        raise ValueError(f"currency must be three letters such as EUR or USD; got {value!r}")
    return code


def usd_rate(currency: str | None, rates: Mapping[str, Decimal]) -> Decimal | None:
    """USD per unit of `currency`, or None when no rate is configured."""
    code = currency_code(currency)
    if code == "USD":
        return Decimal(1)
    rate = rates.get(code)
    if rate is None:
        rate = next((v for k, v in rates.items() if k.upper() == code), None)
    return None if rate is None else Decimal(rate)


def has_rate(currency: str | None, rates: Mapping[str, Decimal]) -> bool:
    try:
        return usd_rate(currency, rates) is not None
    except ValueError:
        return False


def to_usd(amount: Decimal, currency: str | None, rates: Mapping[str, Decimal]) -> Decimal:
    """`amount` of `currency` in US dollars, to the cent; UnknownCurrency without a rate."""
    try:
        rate = usd_rate(currency, rates)
    except ValueError as exc:
        raise DomainError(str(exc)) from None
    if rate is None:
        raise UnknownCurrency(currency_code(currency), rates)
    return money(Decimal(amount) * rate)
