from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ortaq.lib.money import format_tenge, mci_to_tenge

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0, f"0{NBSP}₸"),
        (7, f"7{NBSP}₸"),
        (999, f"999{NBSP}₸"),
        (1000, f"1{NBSP}000{NBSP}₸"),
        (1_223_000_000, f"1{NBSP}223{NBSP}000{NBSP}000{NBSP}₸"),
        (-2000, f"-2{NBSP}000{NBSP}₸"),
        (Decimal("1500.50"), f"1{NBSP}500,50{NBSP}₸"),
        (Decimal("1500.5"), f"1{NBSP}500,50{NBSP}₸"),
        (Decimal("0.07"), f"0,07{NBSP}₸"),
        (Decimal("-1234567.89"), f"-1{NBSP}234{NBSP}567,89{NBSP}₸"),
    ],
)
def test_format_tenge_groups_digits_with_no_break_spaces(
    amount: int | Decimal, expected: str
) -> None:
    assert format_tenge(amount) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("1500.00"), f"1{NBSP}500{NBSP}₸"),  # zero fraction is not shown
        (Decimal("1E+3"), f"1{NBSP}000{NBSP}₸"),
        (Decimal("1500.005"), f"1{NBSP}500,01{NBSP}₸"),  # half-up to tiyn
        (Decimal("1500.004"), f"1{NBSP}500{NBSP}₸"),
        (Decimal("-1500.005"), f"-1{NBSP}500,01{NBSP}₸"),  # halves go away from zero
        (Decimal("999.995"), f"1{NBSP}000{NBSP}₸"),  # rounding carries into a new group
        (Decimal("-0.004"), f"0{NBSP}₸"),  # no "-0"
        (Decimal("-0"), f"0{NBSP}₸"),
    ],
)
def test_format_tenge_rounds_decimals_to_tiyn(amount: Decimal, expected: str) -> None:
    assert format_tenge(amount) == expected


def test_format_tenge_without_symbol() -> None:
    assert format_tenge(1_223_000_000, symbol=False) == f"1{NBSP}223{NBSP}000{NBSP}000"
    assert format_tenge(Decimal("-1500.5"), symbol=False) == f"-1{NBSP}500,50"


def test_format_tenge_handles_amounts_beyond_default_decimal_precision() -> None:
    amount = Decimal("123456789012345678901234567890.555")
    expected = NBSP.join(
        ["123", "456", "789", "012", "345", "678", "901", "234", "567", "890,56", "₸"]
    )
    assert format_tenge(amount) == expected


@pytest.mark.parametrize("amount", [1.5, True, "1500", None])
def test_format_tenge_rejects_inexact_or_non_numeric_types(amount: object) -> None:
    with pytest.raises(TypeError, match="amount must be int or Decimal"):
        format_tenge(amount)  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_format_tenge_rejects_non_finite_decimals(amount: Decimal) -> None:
    with pytest.raises(ValueError, match="must be finite"):
        format_tenge(amount)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_formatted_integer_reads_back_to_the_same_value(amount: int) -> None:
    text = format_tenge(amount)
    assert text.endswith(f"{NBSP}₸")
    assert " " not in text
    assert int(text.removesuffix(f"{NBSP}₸").replace(NBSP, "")) == amount


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2))
def test_formatted_decimal_reads_back_to_the_same_value(amount: Decimal) -> None:
    text = format_tenge(amount, symbol=False)
    assert Decimal(text.replace(NBSP, "").replace(",", ".")) == amount


@pytest.mark.parametrize(
    ("mci", "mci_value", "expected"),
    [
        (10, 3932, 39_320),
        (Decimal("0.5"), 3932, 1966),
        (Decimal("0.5"), 3933, 1967),  # 1966.5 rounds half-up
        (Decimal("0.25"), 3932, 983),
        (Decimal("0.1"), 3692, 369),  # 369.2 rounds down
        (Decimal("-0.5"), 3933, -1967),  # halves go away from zero
        (0, 3932, 0),
    ],
)
def test_mci_to_tenge_rounds_half_up_to_whole_tenge(
    mci: int | Decimal, mci_value: int, expected: int
) -> None:
    assert mci_to_tenge(mci, mci_value=mci_value) == expected


def test_mci_to_tenge_keeps_precision_of_long_decimals() -> None:
    mci = Decimal("0.1234567890123456789012345678901")
    assert mci_to_tenge(mci, mci_value=10**10) == 1_234_567_890


@pytest.mark.parametrize("mci_value", [0, -3932, True])
def test_mci_to_tenge_requires_a_positive_index(mci_value: int) -> None:
    with pytest.raises(ValueError, match="mci_value must be a positive int"):
        mci_to_tenge(1, mci_value=mci_value)


def test_mci_to_tenge_rejects_float() -> None:
    with pytest.raises(TypeError, match="mci must be int or Decimal"):
        mci_to_tenge(0.5, mci_value=3932)  # type: ignore[arg-type]
