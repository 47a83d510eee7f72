"""Builds the labelled redaction evaluation set from Faker values and the
templates of ``redact_heldout.py`` (held-out split, scored by default) or
``redact_templates.py`` (development split), with a fixed seed.

Each item is ``{"text", "lang", "spans": [(start, end, label)]}``. Running
``python -m bench.redact_data`` prints a few generated sentences; with
``--jsonl``, the held-out set as input lines for ``gardien redact --detect --jsonl``.

The benchmarks and the tests both import ``build`` as ``bench.redact_data``:
``bench`` is a package found from the repository root (see ``bench/__init__.py``).
"""

from __future__ import annotations

import json
import random
import re
import string
import sys
from collections.abc import Callable
from typing import Any

from faker import Faker

from bench.redact_heldout import HARD, HELDOUT
from bench.redact_templates import DEV, FORMER_HARD, FORMER_HELDOUT

Item = dict[str, Any]

_FR_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
_EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _group4(value: str) -> str:
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4))


def _nir_key(body: str) -> str:
    n = int(body.replace("2A", "19").replace("2B", "18"))
    return f"{97 - n % 97:02d}"


class Values:
    """Random values per slot, for one language."""

    def __init__(self, lang: str, rng: random.Random) -> None:
        self.lang = lang
        self.rng = rng
        self.fake = Faker("fr_FR" if lang == "fr" else "en_US")
        self.fake.seed_instance(rng.randrange(2**32))
        self.fr = Faker("fr_FR")  # French identifiers appear in English texts too
        self.fr.seed_instance(rng.randrange(2**32))

    def date(self) -> str:
        d = self.fake.date_between(start_date="-90y", end_date="+1y")
        form = self.rng.randrange(4)
        if self.lang == "fr":
            day = "1er" if d.day == 1 else str(d.day)
            return [
                f"{day} {_FR_MONTHS[d.month - 1]} {d.year}",
                f"{d.day:02d}/{d.month:02d}/{d.year}",
                f"{day} {_FR_MONTHS[d.month - 1]}",
                f"{d.day:02d}.{d.month:02d}.{d.year}",
            ][form]
        return [
            f"{_EN_MONTHS[d.month - 1]} {d.day}, {d.year}",
            f"{d.day} {_EN_MONTHS[d.month - 1]} {d.year}",
            f"{d.month:02d}/{d.day:02d}/{d.year}",
            f"{d.year}-{d.month:02d}-{d.day:02d}",
        ][form]

    def phone(self) -> str:
        r = self.rng
        if r.random() < 0.6:
            return str(self.fake.phone_number())
        if self.lang == "fr":
            return f"+33 {r.choice('123456789')} " + " ".join(
                f"{r.randrange(100):02d}" for _ in range(4)
            )
        return r.choice(
            [
                f"+44 20 {r.randrange(1000, 9999)} {r.randrange(1000, 9999)}",
                f"+1 ({r.randrange(200, 999)}) {r.randrange(200, 999)}-{r.randrange(10000):04d}",
                f"+49 30 {r.randrange(10_000_000, 99_999_999)}",
            ]
        )

    def address(self) -> str:
        f = self.fake
        if self.lang == "fr":
            return f"{f.street_address()}, {f.postcode()} {f.city()}"
        return f"{f.street_address()}, {f.city()}, {f.state_abbr()} {f.zipcode()}"

    def iban(self) -> str:
        value = str(self.fake.iban())
        return _group4(value) if self.rng.random() < 0.5 else value

    def card(self) -> str:
        value = str(self.fake.credit_card_number())
        return _group4(value) if len(value) == 16 and self.rng.random() < 0.5 else value

    def nir(self) -> str:
        r = self.rng
        if r.random() < 0.15:  # Corsica: department 2A or 2B
            body = f"{r.choice('12')}{r.randrange(100):02d}{r.randrange(1, 13):02d}"
            body += f"{r.choice(['2A', '2B'])}{r.randrange(1, 999):03d}{r.randrange(1, 999):03d}"
            value = body + _nir_key(body)
        else:
            value = str(self.fr.ssn())
        if r.random() < 0.5:
            parts = [value[0], value[1:3], value[3:5], value[5:7], value[7:10], value[10:13]]
            return " ".join([*parts, value[13:]])
        return value

    def passport(self) -> str:
        r = self.rng
        letters = "".join(r.choice(string.ascii_uppercase) for _ in range(2))
        return f"{r.randrange(100):02d}{letters}{r.randrange(100_000):05d}"

    def cni(self) -> str:
        r = self.rng
        if r.random() < 0.5:
            return "".join(r.choice(string.digits) for _ in range(12))
        chars = [r.choice(string.ascii_uppercase + string.digits) for _ in range(9)]
        # At least one digit and one letter, at two different places.
        digit_at, letter_at = r.sample(range(9), 2)
        chars[digit_at] = r.choice(string.digits)
        chars[letter_at] = r.choice(string.ascii_uppercase)
        return "".join(chars)

    def slots(self) -> dict[str, tuple[str, Callable[[], str]]]:
        f = self.fake
        return {
            "PERSON": ("PERSON", lambda: f"{f.first_name()} {f.last_name()}"),
            "FIRST": ("PERSON", lambda: str(f.first_name())),
            "LAST": ("PERSON", lambda: str(f.last_name())),
            "EMAIL": ("EMAIL", lambda: str(f.email())),
            "PHONE": ("PHONE", self.phone),
            "CITY": ("LOCATION", lambda: str(f.city())),
            "COUNTRY": ("LOCATION", lambda: str(f.country())),
            "ADDRESS": ("LOCATION", self.address),
            "ORG": ("ORGANIZATION", lambda: str(f.company())),
            "IBAN": ("IBAN", self.iban),
            "CARD": ("CREDIT_CARD", self.card),
            "IPV4": ("IP_ADDRESS", lambda: str(f.ipv4())),
            "IPV6": ("IP_ADDRESS", lambda: str(f.ipv6())),
            "DATE": ("DATE", self.date),
            "URL": ("URL", lambda: str(f.url())),
            "NIR": ("ID_NUMBER", self.nir),
            "SIREN": ("ID_NUMBER", lambda: str(self.fr.siren())),
            "SIRET": ("ID_NUMBER", lambda: str(self.fr.siret())),
            "PASSPORT": ("ID_NUMBER", self.passport),
            "CNI": ("ID_NUMBER", self.cni),
        }


_SLOT = re.compile(r"\{([A-Z0-9]+)\}")
_MARK = re.compile(r"\[\[([A-Z_]+)\|(.+?)\]\]")


def fill(template: str, lang: str, values: Values) -> Item:
    """One sentence from ``template`` with the gold spans of its slots."""
    slots = values.slots()
    out: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = last = 0
    for match in _SLOT.finditer(template):
        out.append(template[last : match.start()])
        pos += match.start() - last
        label, make = slots[match.group(1)]
        value = make()
        out.append(value)
        spans.append((pos, pos + len(value), label))
        pos += len(value)
        last = match.end()
    out.append(template[last:])
    text = "".join(out)
    return {"text": text, "lang": lang, "spans": _join_full_names(text, spans)}


def _join_full_names(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``{FIRST} {LAST}`` is one person: its two slots become one gold span, as
    a person's full name is one span everywhere else in the set."""
    joined: list[tuple[int, int, str]] = []
    for span in spans:
        if joined:
            start, end, label = joined[-1]
            if label == span[2] == "PERSON" and text[end : span[0]] == " ":
                joined[-1] = (start, span[1], label)
                continue
        joined.append(span)
    return joined


def parse_marked(sentence: str, lang: str) -> Item:
    """A hand-written sentence with ``[[LABEL|value]]`` marks, as an item."""
    out: list[str] = []
    spans: list[tuple[int, int, str]] = []
    pos = last = 0
    for match in _MARK.finditer(sentence):
        out.append(sentence[last : match.start()])
        pos += match.start() - last
        value = match.group(2)
        out.append(value)
        spans.append((pos, pos + len(value), match.group(1)))
        pos += len(value)
        last = match.end()
    out.append(sentence[last:])
    return {"text": "".join(out), "lang": lang, "spans": spans}


def build(split: str = "heldout", per_lang: int = 500, seed: int = 20261123) -> list[Item]:
    """The evaluation set: ``per_lang`` filled templates per language, plus
    the split's hand-written hard cases."""
    rng = random.Random(seed)
    if split == "heldout":
        templates, hard = HELDOUT, HARD
    else:
        templates = {lang: DEV[lang] + FORMER_HELDOUT[lang] for lang in DEV}
        hard = FORMER_HARD
    items: list[Item] = []
    for lang in ("fr", "en"):
        values = Values(lang, rng)
        for _ in range(per_lang):
            items.append(fill(rng.choice(templates[lang]), lang, values))
        items.extend(parse_marked(s, lang) for s in hard[lang])
    return items


if __name__ == "__main__":
    if sys.argv[1:2] == ["--jsonl"]:
        # The held-out set as the input of `gardien redact --detect --jsonl`.
        for n, item in enumerate(build()):
            print(json.dumps({"id": n, "text": item["text"], "lang": item["lang"]}))
    else:
        for item in build(per_lang=5):
            print(item["lang"], item["text"])
            for start, end, label in item["spans"]:
                print("   ", label, repr(item["text"][start:end]))
