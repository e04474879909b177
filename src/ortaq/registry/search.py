"""Word stems for the NGO search, in Russian, Kazakh and English, on any database.

Names and descriptions are written in Kazakh and Russian (often both in one name, e.g.
«Болашақ жастары» қоғамдық бірлестігі), so every word is reduced to stems that the other
forms of the same word share; `NgoProfile.search_text` keeps them, space-separated, and a
query is reduced the same way (selectors.py matches query stems as prefixes of stored ones).

- Words with letters only Kazakh has (ә ғ қ ң ө ұ ү һ і) go through `kazakh_stem`.
- Other Cyrillic words may be Russian or Kazakh («жастар», «мекеме»): both stems are kept.
- Latin words go through the English Snowball stemmer.

No Kazakh stemmer exists in a library, so `kazakh_stem` is a small suffix stripper of our
own: Kazakh is agglutinative and regular, and search needs only that the forms of one word
meet at one stem (жастар, жастарға, жастардың → жас), not a linguist's analysis.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

KAZAKH_LETTERS = frozenset("әғқңөұүһі")
MIN_STEM = 3

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]")
_LATIN = re.compile(r"[a-z]")

# Endings stripped by `kazakh_stem`, longest first so that -ның goes before -ы.
# Plural; genitive, dative, locative, ablative, accusative, instrumental cases; possessive
# (3rd person) — in every variant of vowel harmony and consonant assimilation.
KAZAKH_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        set(
            " ".join(
                (
                    "лар лер дар дер тар тер",  # plural
                    "ның нің дың дің тың тің",  # genitive
                    "ға ге қа ке на не",  # dative
                    "да де та те нда нде",  # locative
                    "дағы дегі тағы тегі ндағы ндегі",  # locative + relative (ауылдағы)
                    "дан ден тан тен нан нен",  # ablative
                    "ды ді ты ті ны ні",  # accusative
                    "мен бен пен",  # instrumental
                    "ы і сы сі ын ін сын сін",  # possessive of the 3rd person, oblique stem
                )
            ).split()
        ),
        key=lambda suffix: (-len(suffix), suffix),
    )
)

# Before a vowel a final к/қ/п of the stem is voiced (бірлестік → бірлестігі, кітап → кітабы);
# undoing that after a vowel-initial suffix is stripped lets both forms meet at one stem.
_DEVOICE = {"г": "к", "ғ": "қ", "б": "п"}
_VOWELS = frozenset("аәеиоөұүуыіэюя")

_RUSSIAN = snowballstemmer.stemmer("russian")
_ENGLISH = snowballstemmer.stemmer("english")


def tokens(text: str) -> list[str]:
    """Lower-case words of `text` (letters and digits), ё read as е."""
    return _TOKEN.findall((text or "").lower().replace("ё", "е"))


@lru_cache(maxsize=65536)
def kazakh_stem(word: str) -> str:
    """Strip Kazakh plural, case and possessive endings, repeatedly, keeping 3 letters or more.

    жастарға → жас, жастардың → жас, балаларымен → бала, бірлестігі → бірлестік,
    ауылдағы → ауыл.
    """
    word = word.lower()
    stripped = True
    while stripped:
        stripped = False
        for suffix in KAZAKH_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
                word = word[: -len(suffix)]
                if suffix[0] in _VOWELS and word[-1] in _DEVOICE:
                    word = word[:-1] + _DEVOICE[word[-1]]
                stripped = True
                break
    return word


@lru_cache(maxsize=65536)
def word_stems(word: str) -> tuple[str, ...]:
    """The stems one (lower-case) word may match under: one or two, never empty."""
    if _CYRILLIC.search(word):
        if KAZAKH_LETTERS & set(word):
            found = [kazakh_stem(word)]
        else:
            found = [_RUSSIAN.stemWord(word), kazakh_stem(word)]
    elif _LATIN.search(word):
        found = [_ENGLISH.stemWord(word)]
    else:
        found = [word]
    # A stem never gets shorter than the word allows: short words stay as they are.
    found = [stem if len(stem) >= min(MIN_STEM, len(word)) else word for stem in found]
    return tuple(dict.fromkeys(found))


def stems(text: str) -> list[str]:
    """Every distinct stem of the words of `text`, in order of first appearance."""
    found: dict[str, None] = {}
    for word in tokens(text):
        for stem in word_stems(word):
            found.setdefault(stem, None)
    return list(found)


def query_stems(text: str) -> list[tuple[str, ...]]:
    """One tuple of alternative stems per distinct word of a query (any of them may match)."""
    seen: dict[tuple[str, ...], None] = {}
    for word in tokens(text):
        seen.setdefault(word_stems(word), None)
    return list(seen)


def levenshtein_at_most_one(a: str, b: str) -> bool:
    """True when `a` and `b` differ by at most one inserted, deleted or replaced letter."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]
