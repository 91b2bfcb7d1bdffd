"""Regular forms of German weak verbs that stemming leaves apart: sprengen, gesprengt and Sprengung.

Snowball strips endings but not the ge- of a past participle, and keeps -ung: "Sprengung", "gesprengt" and
"sprengen" stem to three different words. From the word as typed these rules make the other forms; a made-up form
that no release contains costs one dictionary lookup and matches nothing. Strong verbs (gefunden, fand) change
their vowel and are listed instead: in data/wortformen_lexikon.txt (from simplemma, by tools/word_forms.py) and by
hand in data/wortformen.txt.
"""

from __future__ import annotations

import re

# Inseparable prefixes: their verbs form the participle without ge- (verhaftet, not geverhaftet).
INSEPARABLE = ("be", "emp", "ent", "er", "ge", "miss", "ver", "zer")
# Separable prefixes: the ge- goes between prefix and stem (abgeschleppt, festgenommen).
SEPARABLE = ("ab", "an", "auf", "aus", "bei", "durch", "ein", "fest", "fort", "frei", "her", "hin", "los", "mit",
             "nach", "um", "vor", "weg", "zu", "zurück", "zusammen")
MIN_ROOT_CHARS = 4
_PARTICIPLE = re.compile(r"^(" + "|".join(SEPARABLE) + r")?ge(\w{" + str(MIN_ROOT_CHARS) + r",}?)(e?t)$")


def weak_forms(word: str) -> tuple[str, ...]:
    """The infinitive, participle and -ung noun belonging to `word` (lowercase), without `word` itself."""
    root, prefix = _root(word)
    if root is None:
        return ()
    linking = "e" if root.endswith(("t", "d")) else ""  # verhaftet, gemeldet
    without_ge = _inseparable(prefix + root) or root.endswith("ier")
    participle = prefix + ("" if without_ge else "ge") + root + linking + "t"
    forms = (prefix + root + "en", participle, prefix + root + "ung")
    return tuple(form for form in dict.fromkeys(forms) if form != word)


def _root(word: str) -> tuple[str | None, str]:
    """(verb root, separable prefix) of a participle, an -ung noun or an -en infinitive; (None, "") otherwise."""
    if match := _PARTICIPLE.match(word):
        return match.group(2), match.group(1) or ""
    for ending in ("ierung", "ieren", "iert"):  # kontrollieren, kontrolliert, Kontrollierung: no ge-
        if word.endswith(ending) and len(word) - len(ending) >= MIN_ROOT_CHARS:
            return word[: -len(ending)] + "ier", ""
    for ending in ("ung", "en"):
        if word.endswith(ending) and len(word) - len(ending) >= MIN_ROOT_CHARS:
            root = word[: -len(ending)]
            if "ge" in root[:len(root) - MIN_ROOT_CHARS + 1]:
                return None, ""  # a strong participle (festgenommen, gefunden): see data/wortformen.txt
            for prefix in SEPARABLE:
                if root.startswith(prefix) and len(root) - len(prefix) >= MIN_ROOT_CHARS:
                    return root[len(prefix):], prefix
            return root, ""
    if word.endswith("t") and _inseparable(word) and len(word) - 1 >= MIN_ROOT_CHARS + 2:
        return word[:-2] if word.endswith("et") else word[:-1], ""  # verhaftet, verletzt
    return None, ""


def _inseparable(word: str) -> bool:
    return word.startswith(INSEPARABLE) and not word.startswith("ge")


# A separable verb's participle (umgekippt, angegriffen, festgenommen) or infinitive (umkippen): its particle, the
# rest a participle (ge- and -t/-et/-en) or an infinitive of at least MIN_ROOT_CHARS letters before -en.
_PARTICLES = "|".join(sorted(SEPARABLE, key=len, reverse=True))  # the longest first: zusammen before zu
_SEPARABLE_VERB = re.compile(r"^(" + _PARTICLES + r")((?:ge\w{" + str(MIN_ROOT_CHARS) + r",}?(?:e?t|en))"
                             r"|(?:\w{" + str(MIN_ROOT_CHARS) + r",}en))$")


def without_particle(word: str) -> str | None:
    """The verb form `word` (lowercase) without its separable particle, when it is a separable verb's participle or
    infinitive: umgekippt → gekippt, angegriffen → gegriffen, festnehmen → nehmen. In a main clause the particle
    stands apart ("kippte … um", "griff … an", "nahm … fest"), so the text holds the verb without it."""
    match = _SEPARABLE_VERB.match(word)
    return match.group(2) if match else None


def finite_forms(participle_or_infinitive: str) -> tuple[str, ...]:
    """The present and past third person of a weak verb, from its participle or infinitive (gekippt, kippen → kippt,
    kippte); () for a strong verb's participle (gegriffen: its forms come from the word lists)."""
    word = participle_or_infinitive
    if word.startswith("ge") and word.endswith("t"):
        root = word[2:-2] if word.endswith("et") else word[2:-1]
    elif word.endswith("en") and not word.startswith("ge"):
        root = word[:-2]
    else:
        return ()
    if len(root) < MIN_ROOT_CHARS:
        return ()
    linking = "e" if root.endswith(("t", "d")) else ""
    return (root + linking + "t", root + linking + "te")

