"""Tenge amounts as people in Kazakhstan write them: ``1 223 000 000 ₸``.

Groups of three digits and the currency sign are joined by NO-BREAK SPACE (U+00A0) so a
line never breaks inside an amount; the decimal separator is a comma. Amounts are ints
or Decimals only - floats cannot represent tiyn exactly.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Final

__all__ = ["NBSP", "TENGE_SIGN", "format_tenge", "mci_to_tenge"]

NBSP: Final = "\u00a0"
TENGE_SIGN: Final = "\u20b8"
_CENT: Final = Decimal("0.01")
_ONE: Final = Decimal(1)


def _require_exact_number(value: object, name: str) -> None:
    """Reject floats and bools early: they would silently produce wrong money values."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"{name} must be int or Decimal, got {type(value).__name__}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{name} must be finite, got {value}")


def _exact_precision(value: Decimal, extra_digits: int) -> int:
    """Precision that lets ``value`` be rounded/scaled without the 28-digit default biting."""
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):  # NaN/Infinity, normally rejected by the caller
        raise ValueError(f"expected a finite Decimal, got {value}")
    return max(28, len(value.as_tuple().digits) + max(exponent, 0) + extra_digits)


def _to_tiyn(amount: int | Decimal) -> int:
    """Whole amount in tiyn (1/100 tenge), rounding Decimals half-up."""
    if isinstance(amount, int):
        return amount * 100
    with localcontext(prec=_exact_precision(amount, 4)):
        return int(amount.quantize(_CENT, rounding=ROUND_HALF_UP).scaleb(2))


def _group_thousands(digits: str) -> str:
    """Insert NBSP every three digits from the right: "1223000" -> "1 223 000"."""
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return NBSP.join(groups)


def format_tenge(amount: int | Decimal, *, symbol: bool = True) -> str:
    """Format an amount for display, e.g. ``1 500,50 ₸`` or ``-2 000 ₸``.

    Decimals are rounded half-up to tiyn (two places); the fraction is shown only when
    it is not zero, always with two digits. The minus sign is ASCII "-" so the text
    stays searchable and copy-paste friendly. ``symbol=False`` omits " ₸" for tables
    whose header already names the currency.
    """
    _require_exact_number(amount, "amount")
    cents = _to_tiyn(amount)
    whole, fraction = divmod(abs(cents), 100)
    text = _group_thousands(str(whole))
    if fraction:
        text = f"{text},{fraction:02d}"
    if cents < 0:
        text = f"-{text}"
    return f"{text}{NBSP}{TENGE_SIGN}" if symbol else text


def mci_to_tenge(mci: int | Decimal, *, mci_value: int) -> int:
    """Convert an amount in MCI (monthly calculation index; MRP in Russian) to whole tenge.

    Fines, fees and thresholds are set in MCI and the index changes every year, so the
    caller passes the year's value (e.g. 3932 for 2025). Rounds half-up, i.e. halves
    go away from zero.
    """
    _require_exact_number(mci, "mci")
    if isinstance(mci_value, bool) or not isinstance(mci_value, int) or mci_value <= 0:
        raise ValueError(f"mci_value must be a positive int, got {mci_value!r}")
    product_digits = len(str(mci_value)) + 2
    mci_decimal = Decimal(mci)
    with localcontext(prec=_exact_precision(mci_decimal, product_digits)):
        return int((mci_decimal * mci_value).quantize(_ONE, rounding=ROUND_HALF_UP))
