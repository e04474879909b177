"""Kazakhstan business (BIN) and individual (IIN) identification numbers.

Both are 12 ASCII digits whose last digit is a mod-11 check digit. Validating the
structure as well as the checksum catches most typos before a record reaches the
registry, and ``make_bin`` lets demo-data generators produce numbers that pass the
same validation as real ones.

Known limitation of the official algorithm: with the primary weights 1..11 the 11th
digit has weight 11 ≡ 0 (mod 11), so changing only that digit goes unnoticed unless
the secondary weights are in play. Checksum validity is therefore no proof that a
number was typed correctly.
"""

from __future__ import annotations

from datetime import date
from typing import Final

__all__ = [
    "bin_check_digit",
    "is_valid_bin",
    "is_valid_iin",
    "make_bin",
    "normalise_bin",
]

_LENGTH: Final = 12
_ASCII_DIGITS: Final = frozenset("0123456789")
_PRIMARY_WEIGHTS: Final = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_SECONDARY_WEIGHTS: Final = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)

# BIN digit 5: 4 resident legal entity, 5 non-resident, 6 joint individual entrepreneurship.
BIN_KINDS: Final = frozenset({4, 5, 6})
# BIN digit 6: 0 head unit, 1 branch, 2 representative office, 3 peasant farm.
BIN_UNITS: Final = frozenset({0, 1, 2, 3})
_MAX_SERIAL: Final = 99_999

# IIN digit 7 encodes century (and sex); 0 is used for foreigners and legacy numbers.
_IIN_CENTURY: Final = {0: 1900, 1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}


def normalise_bin(value: str) -> str:
    """Strip surrounding whitespace, the only formatting we tolerate on input.

    It does not validate: call ``is_valid_bin`` on the result.
    """
    return value.strip()


def bin_check_digit(first11: str) -> int | None:
    """Return the check digit for 11 leading digits, or None if no digit can make them valid.

    The same algorithm serves BIN and IIN. Raises ValueError unless given exactly 11
    ASCII digits, because that is a programming error rather than bad user input.
    """
    if len(first11) != _LENGTH - 1 or not set(first11) <= _ASCII_DIGITS:
        raise ValueError(f"expected 11 ASCII digits, got {first11!r}")
    digits = [int(c) for c in first11]
    for weights in (_PRIMARY_WEIGHTS, _SECONDARY_WEIGHTS):
        total = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if total != 10:
            return total
    return None


def _digits_with_valid_checksum(value: object) -> str | None:
    """Return the stripped 12-digit string if its checksum holds, else None."""
    if not isinstance(value, str):
        return None
    candidate = value.strip()
    if len(candidate) != _LENGTH or not set(candidate) <= _ASCII_DIGITS:
        return None
    if bin_check_digit(candidate[:-1]) != int(candidate[-1]):
        return None
    return candidate


def is_valid_bin(value: str) -> bool:
    """True for a well-formed BIN: YYMM of registration, kind, unit, serial and check digit."""
    digits = _digits_with_valid_checksum(value)
    if digits is None:
        return False
    month = int(digits[2:4])
    return 1 <= month <= 12 and int(digits[4]) in BIN_KINDS and int(digits[5]) in BIN_UNITS


def is_valid_iin(value: str) -> bool:
    """True for a well-formed IIN: real YYMMDD birth date, century digit and check digit.

    Century digit 0 (foreigners, legacy numbers) is read as the 1900s.
    """
    digits = _digits_with_valid_checksum(value)
    if digits is None:
        return False
    century = _IIN_CENTURY.get(int(digits[6]))
    if century is None:
        return False
    try:
        date(century + int(digits[0:2]), int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return False
    return True


def make_bin(year: int, month: int, serial: int, *, kind: int = 4, unit: int = 0) -> str:
    """Return the first valid BIN whose 5-digit serial is ``serial`` or the next usable one.

    Roughly one prefix in 121 has no possible check digit, so the serial may be bumped;
    generators should not assume the serial they asked for. ``year`` is a calendar year
    (only its last two digits are encoded). Raises ValueError for out-of-range parts or
    when no serial up to 99999 works.
    """
    if year < 0:
        raise ValueError(f"year must not be negative, got {year}")
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
    if kind not in BIN_KINDS:
        raise ValueError(f"kind must be one of {sorted(BIN_KINDS)}, got {kind}")
    if unit not in BIN_UNITS:
        raise ValueError(f"unit must be one of {sorted(BIN_UNITS)}, got {unit}")
    if not 0 <= serial <= _MAX_SERIAL:
        raise ValueError(f"serial must be 0..{_MAX_SERIAL}, got {serial}")
    prefix = f"{year % 100:02d}{month:02d}{kind}{unit}"
    for candidate_serial in range(serial, _MAX_SERIAL + 1):
        first11 = f"{prefix}{candidate_serial:05d}"
        check = bin_check_digit(first11)
        if check is not None:
            return f"{first11}{check}"
    raise ValueError(f"no valid BIN with prefix {prefix} at or after serial {serial}")
