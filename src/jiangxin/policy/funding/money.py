"""Money in the funding machines: yuan rounded to the cent, half up."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")


CENT = Decimal("0.01")


def money(amount: Decimal) -> Decimal:
    """Round yuan to the cent, half up (I-FUND-09)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
