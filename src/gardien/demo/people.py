"""Generated people and values: Faker vocabularies drawn once, then fast seeded choices.

A Faker call costs tens of microseconds: too slow for ten million rows. So a
build draws its vocabularies (first and last names, companies, cities, jobs,
streets) once from Faker, in ``fr_FR`` and ``en_US``, seeded with the build's
seed, and every row then picks from them with one ``random.Random`` seeded
with the same seed. The same seed gives the same rows, byte for byte, with
the Faker release ``pyproject.toml`` pins.

Identities are unique by construction, not by luck: an e-mail address ends in
the person's number, a phone number is a permutation of that number, a device
id is 122 random bits. Dates are counted back from ``REFERENCE``, never from
the day of the build. The known person (index 0) is drawn from a random
stream of their own, so their rows do not depend on the seed.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from faker import Faker

Lang = Literal["fr", "en"]
T = TypeVar("T")

#: The "now" of every demo database: rows are dated before it, whatever the day of the build.
REFERENCE = dt.datetime(2025, 6, 30, 18, 0, 0)

#: How many entries each vocabulary draws from Faker.
VOCABULARY_SIZE = 400

#: The seed of the known person's own random stream (their rows are the same for every seed).
KNOWN_STREAM = 20250630

#: Share of other people's free texts that name the known person (people 1 and 2 always do).
MENTION_RATE = 0.01

_MOBILE_SPACE = 100_000_000  # eight digits after +33 6


def ascii_slug(text: str) -> str:
    """``Élodie`` → ``elodie``: lower-case ASCII letters and digits, for addresses."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed.lower() if c.isascii() and c.isalnum())


@dataclass(frozen=True, slots=True)
class KnownPerson:
    """The person every demo database holds first, the same for every seed.

    ``identities`` are what a data-subject request names them by, in the
    normal form gardien's vault matches (``user_id`` is the primary key of
    the company's account table, as text).
    """

    first_name: str
    last_name: str
    email: str
    phone: str
    description: str
    identities: dict[str, str] = field(default_factory=dict)
    device_id: str | None = None
    lang: Lang = "fr"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True, slots=True)
class Person:
    """One generated person: ``index`` 0 is the known person."""

    index: int
    lang: Lang
    first_name: str
    last_name: str
    email: str
    phone: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def spoken_phone(self) -> str:
        """The phone number as people write it in a message: ``06 12 34 56 78``."""
        national = "0" + self.phone.removeprefix("+33")
        return " ".join(national[i : i + 2] for i in range(0, 10, 2))


@dataclass(frozen=True)
class Vocabulary:
    """What Faker drew for one seed, per language."""

    first_names: dict[Lang, tuple[str, ...]]
    last_names: dict[Lang, tuple[str, ...]]
    companies: tuple[str, ...]
    jobs: dict[Lang, tuple[str, ...]]
    cities: tuple[str, ...]
    streets: tuple[str, ...]
    postcodes: tuple[str, ...]

    @classmethod
    def draw(cls, seed: int, size: int = VOCABULARY_SIZE) -> Vocabulary:
        fakers: dict[Lang, Faker] = {"fr": Faker("fr_FR"), "en": Faker("en_US")}
        for offset, faker in enumerate(fakers.values()):
            faker.seed_instance(seed * 2 + offset)

        def unique(make: object, wanted: int) -> tuple[str, ...]:
            seen: dict[str, None] = {}
            assert callable(make)
            for _ in range(wanted * 20):
                value = str(make())
                if ascii_slug(value):
                    seen.setdefault(value, None)
                if len(seen) == wanted:
                    break
            return tuple(seen)

        french = fakers["fr"]
        return cls(
            first_names={lang: unique(f.first_name, size) for lang, f in fakers.items()},
            last_names={lang: unique(f.last_name, size) for lang, f in fakers.items()},
            companies=unique(french.company, size // 2),
            jobs={lang: unique(f.job, size // 2) for lang, f in fakers.items()},
            cities=unique(french.city, size // 2),
            streets=unique(french.street_address, size),
            postcodes=unique(french.postcode, size // 2),
        )


class Draw:
    """Seeded choices over a vocabulary: every value a generator needs, fast."""

    def __init__(self, vocabulary: Vocabulary, rng: random.Random, known: KnownPerson) -> None:
        self.vocabulary = vocabulary
        self.rng = rng
        self.known = known
        # A permutation of the eight-digit space, P(0) = 0: person i's mobile
        # number is the known person's plus P(i), unique for every i.
        self._phone_step = 1 + 2 * rng.randrange(5_000_000, 40_000_000)
        while self._phone_step % 5 == 0:
            self._phone_step += 2
        self._known_digits = int(known.phone.removeprefix("+336"))

    def for_known_person(self) -> Draw:
        """The same vocabulary with the known person's own random stream."""
        own = Draw(self.vocabulary, random.Random(KNOWN_STREAM), self.known)
        own._phone_step = self._phone_step
        return own

    # -- people ------------------------------------------------------------------

    def person(self, index: int, domain: str | None = None) -> Person:
        """Person ``index``; ``domain`` is their employer's (B2B), else a personal one."""
        if index == 0:
            known = self.known
            return Person(
                0, known.lang, known.first_name, known.last_name, known.email, known.phone
            )
        lang: Lang = "fr" if self.rng.random() < 0.75 else "en"
        first = self.choice(self.vocabulary.first_names[lang])
        last = self.choice(self.vocabulary.last_names[lang])
        return Person(
            index, lang, first, last, self.email(first, last, index, domain), self.phone(index)
        )

    def email(self, first: str, last: str, index: int, domain: str | None = None) -> str:
        """A lower-case address ending in ``index``: unique among generated people."""
        f, la = ascii_slug(first) or "x", ascii_slug(last) or "x"
        local = self.choice((f"{f}.{la}", f"{f[0]}{la}", f"{f}{la}", f"{la}.{f}", f"{f}_{la}"))
        if domain is None:
            domain = self.choice(("example.com", "example.net", "example.org"))
        return f"{local}{index}@{domain}"

    def phone(self, index: int) -> str:
        digits = (self._known_digits + index * self._phone_step) % _MOBILE_SPACE
        return f"+336{digits:08d}"

    def name(self, lang: Lang | None = None) -> tuple[str, str]:
        """Someone's first and last name, for a row or a text that names a stranger."""
        chosen: Lang = lang or ("fr" if self.rng.random() < 0.75 else "en")
        return (
            self.choice(self.vocabulary.first_names[chosen]),
            self.choice(self.vocabulary.last_names[chosen]),
        )

    def talkative(self, person: Person, probability: float) -> bool:
        """Whether ``person`` writes free text: the known person and people 1 and 2 always do
        (so that other people's texts name the known person at any size)."""
        return person.index <= 2 or self.rng.random() < probability

    def someone_else(self, person: Person) -> str:
        """The full name of someone ``person``'s text names: now and then the known person."""
        if person.index != 0 and (person.index <= 2 or self.rng.random() < MENTION_RATE):
            return self.known.full_name
        first, last = self.name(person.lang)
        return f"{first} {last}"

    def company_domain(self, company: str) -> str:
        return f"{ascii_slug(company)[:30] or 'entreprise'}.example"

    # -- values ------------------------------------------------------------------

    def choice(self, values: Sequence[T]) -> T:
        # random() scaled rather than rng.choice: half the cost, on every row
        return values[int(self.rng.random() * len(values))]

    def count(self, low: int, mean: float, high: int) -> int:
        """A count of child rows: at least ``low``, around ``mean``, a long tail up to ``high``."""
        return min(high, low + round(self.rng.expovariate(1.0 / max(mean - low, 0.01))))

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def moment(self, after: dt.datetime, before: dt.datetime = REFERENCE) -> dt.datetime:
        """A moment between ``after`` and ``before``, to the second."""
        span = max(int((before - after).total_seconds()), 1)
        return after + dt.timedelta(seconds=int(self.rng.random() * span))

    def since(self, years: float) -> dt.datetime:
        """A moment in the ``years`` before ``REFERENCE``."""
        return self.moment(REFERENCE - dt.timedelta(days=int(365 * years)))

    def later(self, start: dt.datetime, max_days: float) -> dt.datetime:
        """A moment up to ``max_days`` after ``start``, never after ``REFERENCE``."""
        end = min(start + dt.timedelta(days=max_days), REFERENCE)
        return self.moment(start, end) if end > start else start

    def device_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def token(self, length: int = 32) -> str:
        return f"{self.rng.getrandbits(length * 4):0{length}x}"

    def ip_address(self) -> str:
        first = self.choice((37, 78, 82, 86, 88, 90, 92, 109, 176, 185, 193, 212))
        rng = self.rng
        return f"{first}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"

    def iban(self) -> str:
        """A French IBAN whose mod-97 check digits are right (the redaction room checks them)."""
        bban = "".join(str(self.rng.randrange(10)) for _ in range(23))
        check = 98 - int(bban + "152700") % 97  # "FR00" moved to the end, letters as numbers
        return f"FR{check:02d}{bban}"

    def password_hash(self) -> str:
        """The shape of an argon2 hash (never of a real password)."""
        return f"$argon2id$v=19$m=65536,t=3,p=4${self.token(22)}${self.token(43)}"

    def city(self) -> str:
        return self.choice(self.vocabulary.cities)

    def company(self) -> str:
        return self.choice(self.vocabulary.companies)

    def job(self, lang: Lang) -> str:
        return self.choice(self.vocabulary.jobs[lang])

    def address(self) -> str:
        return (
            f"{self.choice(self.vocabulary.streets)}, "
            f"{self.choice(self.vocabulary.postcodes)} {self.city()}"
        )
