"""Each rule recognizer on its own, table-driven: what it must find (with the
exact span) and what it must leave alone. No NER is loaded here."""

from __future__ import annotations

import pytest

from gardien.redact.analyzer import MIN_SCORE, resolve
from gardien.redact.recognizers.address import AddressRecognizer
from gardien.redact.recognizers.base import PatternRecognizer
from gardien.redact.recognizers.checksums import nir_key
from gardien.redact.recognizers.credit_card import CreditCardRecognizer
from gardien.redact.recognizers.cues import (
    LocationCueRecognizer,
    OrganizationCueRecognizer,
    PersonCueRecognizer,
)
from gardien.redact.recognizers.date import DateRecognizer
from gardien.redact.recognizers.email import EmailRecognizer
from gardien.redact.recognizers.fr_id_document import FrIdDocumentRecognizer
from gardien.redact.recognizers.fr_nir import FrNirRecognizer, FrNirUncheckedRecognizer
from gardien.redact.recognizers.fr_siren import FrSirenRecognizer
from gardien.redact.recognizers.iban import IbanRecognizer
from gardien.redact.recognizers.ip import IpRecognizer
from gardien.redact.recognizers.organization import OrganizationRecognizer
from gardien.redact.recognizers.phone import PhoneRecognizer
from gardien.redact.recognizers.titled_person import TitledPersonRecognizer
from gardien.redact.recognizers.uk_nino import UkNinoRecognizer
from gardien.redact.recognizers.url import UrlRecognizer
from gardien.redact.recognizers.us_ssn import UsSsnRecognizer


def _nir(body: str) -> str:
    return f"{body}{nir_key(body):02d}"


def found(recognizer: PatternRecognizer, text: str, lang: str) -> list[str]:
    spans = [s for s in recognizer.analyze(text, lang) if s.score >= MIN_SCORE]
    return [text[s.start : s.end] for s in resolve(spans)]


CASES: list[tuple[type[PatternRecognizer], str, str, list[str]]] = [
    # e-mail
    (EmailRecognizer, "en", "Write to jane.doe+news@example.co.uk today.", ["jane.doe+news@example.co.uk"]),
    (EmailRecognizer, "fr", "Écrire à a.b@c.fr.", ["a.b@c.fr"]),
    (EmailRecognizer, "en", "not an address: jane@ or @example.com", []),
    (EmailRecognizer, "en", "bad: jane..doe@example.com", []),
    # URL
    (UrlRecognizer, "fr", "Voir https://exemple.fr/page?id=3.", ["https://exemple.fr/page?id=3"]),
    (UrlRecognizer, "en", "Go to www.example.com, then log in.", ["www.example.com"]),
    (UrlRecognizer, "en", "Mail jane@example.com now.", []),
    # IP
    (IpRecognizer, "en", "from 192.168.1.20 and 2001:db8::8a2e:370:7334", ["192.168.1.20", "2001:db8::8a2e:370:7334"]),
    (IpRecognizer, "en", "version 999.1.1.1 and 10:30", []),
    # IBAN (mod-97)
    (IbanRecognizer, "fr", "IBAN FR76 3000 6000 0112 3456 7890 189 merci", ["FR76 3000 6000 0112 3456 7890 189"]),
    (IbanRecognizer, "en", "IBAN GB82WEST12345698765432.", ["GB82WEST12345698765432"]),
    (IbanRecognizer, "fr", "IBAN FR76 3000 6000 0112 3456 7890 188", []),
    # cards (Luhn + issuer)
    (CreditCardRecognizer, "en", "card 4111 1111 1111 1111 please", ["4111 1111 1111 1111"]),
    (CreditCardRecognizer, "en", "amex 3782 822463 10005", ["3782 822463 10005"]),
    (CreditCardRecognizer, "fr", "carte 4111 1111 1111 1112", []),
    (CreditCardRecognizer, "en", "order 9111111111111111", []),  # Luhn-valid, no issuer 9
    # phones
    (PhoneRecognizer, "fr", "Tél : 06 12 34 56 78.", ["06 12 34 56 78"]),
    (PhoneRecognizer, "fr", "au +33 (0)1 23 45 67 89 ou", ["+33 (0)1 23 45 67 89"]),
    (PhoneRecognizer, "fr", "appelez le 0612345678", ["0612345678"]),
    (PhoneRecognizer, "en", "call (212) 555-0198 x123", ["(212) 555-0198 x123"]),
    (PhoneRecognizer, "en", "London +44 20 7946 0958.", ["+44 20 7946 0958"]),
    (PhoneRecognizer, "fr", "montant 1 234 567,89 euros le 12.03.1985", []),
    (PhoneRecognizer, "en", "order 2125550198 shipped", []),  # compact, no context word
    (PhoneRecognizer, "fr", "commande 061234567", []),  # nine digits
    # dates
    (DateRecognizer, "fr", "né le 12/03/1985 à Lyon", ["12/03/1985"]),
    (DateRecognizer, "fr", "le 3 janvier 2024 et le 1er mars", ["3 janvier 2024", "1er mars"]),
    (DateRecognizer, "en", "on March 3, 2024 or 3rd of March 2024", ["March 3, 2024", "3rd of March 2024"]),
    (DateRecognizer, "en", "dated 2024-03-03.", ["2024-03-03"]),
    (DateRecognizer, "fr", "version 3.12 et 45/67/8910", []),
    # NIR (key, Corsica)
    (FrNirRecognizer, "fr", f"NIR {_nir('1850375112345')}", [_nir("1850375112345")]),
    (FrNirRecognizer, "fr", f"sécu {_nir('2690149123456')[:1]} 69 01 49 123 456 {_nir('2690149123456')[13:]}", [f"2 69 01 49 123 456 {_nir('2690149123456')[13:]}"]),
    (FrNirRecognizer, "fr", f"né en Corse : {_nir('185012A123456')}", [_nir("185012A123456")]),
    (FrNirRecognizer, "fr", f"clé fausse {_nir('1850375112345')[:13]}{(nir_key('1850375112345') + 1) % 97:02d}", []),
    # NIR without its key, or with a wrong one: only next to a word naming it
    (FrNirUncheckedRecognizer, "fr", "numéro de sécu 1 78 03 29 232 004, merci", ["1 78 03 29 232 004"]),
    (FrNirUncheckedRecognizer, "fr", f"n° de sécurité sociale {_nir('1780329232004')[:13]}{(nir_key('1780329232004') + 1) % 97:02d}", [f"{_nir('1780329232004')[:13]}{(nir_key('1780329232004') + 1) % 97:02d}"]),
    (FrNirUncheckedRecognizer, "en", "my French social security number is 2 85 05 2A 115 042", ["2 85 05 2A 115 042"]),
    (FrNirUncheckedRecognizer, "fr", "commande numéro 1 78 03 29 232 004", []),  # "numéro" names every number
    (FrNirUncheckedRecognizer, "fr", "NIR 3 78 03 29 232 004", []),  # no sex digit 3
    (FrNirUncheckedRecognizer, "fr", "NIR 1 78 13 29 232 004", []),  # no month 13
    # SIREN / SIRET
    (FrSirenRecognizer, "fr", "immatriculée au RCS sous le numéro 732 829 320", ["732 829 320"]),
    (FrSirenRecognizer, "fr", "SIRET 732 829 320 00074.", ["732 829 320 00074"]),
    (FrSirenRecognizer, "fr", "SIREN 732 829 321", []),  # bad Luhn
    (FrSirenRecognizer, "fr", "il y avait 732 829 320 personnes", []),  # no context word
    # passport and identity card
    (FrIdDocumentRecognizer, "fr", "passeport n° 12AB34567", ["12AB34567"]),
    (FrIdDocumentRecognizer, "en", "ID card number 880692310285", ["880692310285"]),
    (FrIdDocumentRecognizer, "fr", "référence 12AB34567", []),
    # US Social Security numbers: issue rules, and a word naming them
    (UsSsnRecognizer, "en", "My SSN is 078-05-1120, thanks.", ["078-05-1120"]),
    (UsSsnRecognizer, "en", "social security number 078 05 1120", ["078 05 1120"]),
    (UsSsnRecognizer, "en", "SSN: 078051120", ["078051120"]),
    (UsSsnRecognizer, "en", "SSN 666-05-1120 or 900-12-3456", []),  # areas never issued
    (UsSsnRecognizer, "en", "SSN 078-00-1120 or 078-05-0000", []),  # group 00, serial 0000
    (UsSsnRecognizer, "en", "order 078-05-1120 shipped", []),  # no context word
    (UsSsnRecognizer, "en", "SSN 078-05 1120", []),  # mixed separators
    # UK National Insurance numbers: prefix rules
    (UkNinoRecognizer, "en", "NI number: JG 12 34 56 C.", ["JG 12 34 56 C"]),
    (UkNinoRecognizer, "en", "NI number: QQ 12 34 56 C", []),  # HMRC's example, never issued (Q)
    (UkNinoRecognizer, "en", "nino AB123456D", ["AB123456D"]),
    (UkNinoRecognizer, "en", "ref GB123456A and DA123456A", []),  # prefix never issued, D first
    (UkNinoRecognizer, "en", "code AB123456E", []),  # suffix beyond D
    # addresses
    (AddressRecognizer, "fr", "au 3 rue Victor Hugo, Bât. B, 33000 Bordeaux ?", ["3 rue Victor Hugo, Bât. B, 33000 Bordeaux"]),
    (AddressRecognizer, "fr", "12 avenue Jean Jaurès, appt 24, 3e étage, 69007 Lyon", ["12 avenue Jean Jaurès, appt 24, 3e étage, 69007 Lyon"]),
    (AddressRecognizer, "fr", "au 12 bis, rue de la Paix, 75002 Paris.", ["12 bis, rue de la Paix, 75002 Paris"]),
    (AddressRecognizer, "fr", "siège : 10 RUE DE PENTHIÈVRE 75008 PARIS", ["10 RUE DE PENTHIÈVRE 75008 PARIS"]),
    (AddressRecognizer, "en", "at 742 Evergreen Terrace Apt 3, Springfield, IL 62704.", ["742 Evergreen Terrace Apt 3, Springfield, IL 62704"]),
    (AddressRecognizer, "fr", "la rue est calme", []),
    (AddressRecognizer, "en", "to 117 Kimberly Harbors, Stephaniechester, ND 80376.", ["117 Kimberly Harbors, Stephaniechester, ND 80376"]),
    # organisations
    (OrganizationRecognizer, "fr", "Chez Martin Dubois SARL, on répare.", ["Martin Dubois SARL"]),
    (OrganizationRecognizer, "en", "Acme Widgets Inc. shipped it.", ["Acme Widgets Inc."]),
    (OrganizationRecognizer, "en", "I saw the SA there.", []),
    # titled names: the title is never part of the span
    (TitledPersonRecognizer, "fr", "M. Jean Dupont et Mme Leroy", ["Jean Dupont", "Leroy"]),
    (TitledPersonRecognizer, "en", "Dr. Watson met Mrs Hudson.", ["Watson", "Hudson"]),
    (TitledPersonRecognizer, "fr", "Madame, Monsieur,", []),
    # cue words
    (LocationCueRecognizer, "fr", "J'habite à Saint-Malo depuis 2010.", ["Saint-Malo"]),
    (LocationCueRecognizer, "en", "She was born in 1990 in New Orleans.", ["New Orleans"]),
    (OrganizationCueRecognizer, "fr", "Il travaille chez Leroy Merlin.", ["Leroy Merlin"]),
    (OrganizationCueRecognizer, "en", "He works at Silva, Callahan and Lindsey.", ["Silva, Callahan and Lindsey"]),
    (LocationCueRecognizer, "fr", "Signé le 8 mars 2011 à Sainte-Maxime.", ["Sainte-Maxime"]),
    (LocationCueRecognizer, "en", "Signed on May 3, 2020 in Port Talbot.", ["Port Talbot"]),
    (PersonCueRecognizer, "fr", "Le livreur Kevin Durand a laissé le colis.", ["Kevin Durand"]),
    (PersonCueRecognizer, "fr", "Merci à Sophie pour son aide.", ["Sophie"]),
    (PersonCueRecognizer, "en", "The manager, Madeline Valdez, never answered.", ["Madeline Valdez"]),
    (PersonCueRecognizer, "en", "the technician came late", []),
    (PersonCueRecognizer, "fr", "Mes voisins Agathe et Luce Moreau ont eu le même souci.", ["Agathe", "Luce Moreau"]),
    (PersonCueRecognizer, "en", "My neighbours Janice and Lori had the same problem.", ["Janice", "Lori"]),
    (PersonCueRecognizer, "fr", "Je suis Margaux, cliente fidèle.", ["Margaux"]),
    (PersonCueRecognizer, "fr", "Je suis Très déçue par le service", []),  # not followed by , or .
    (PersonCueRecognizer, "en", "Hi, my name is Dana Ray and I need help.", ["Dana Ray"]),
    (PersonCueRecognizer, "en", "Traci from accounting asked again.", ["Traci"]),
    (PersonCueRecognizer, "fr", "Julie du service client m'a rappelée.", ["Julie"]),
    (LocationCueRecognizer, "fr", "Passeport délivré à Quimperlé en 2019.", ["Quimperlé"]),
    (LocationCueRecognizer, "en", "The team at Lewis Ltd in Melissaside was great.", ["Melissaside"]),
    (LocationCueRecognizer, "en", "We talked in March, in English, in Excel.", []),
    (IpRecognizer, "fr", "Version 10.12.14.16 du logiciel installée.", []),
    (IpRecognizer, "en", "firmware 4.12.0.7 but server 10.12.14.16 is down", ["10.12.14.16"]),
    (OrganizationRecognizer, "fr", "Entreprise Auger Martineau SA, siège à Lyon.", ["Auger Martineau SA"]),
    (PersonCueRecognizer, "fr", "Bonjour Manon, votre abonnement est renouvelé.", ["Manon"]),
    (PersonCueRecognizer, "fr", "Bonjour Madame la Directrice et merci", []),  # no comma after
    (PersonCueRecognizer, "en", "Hi Lance, your plan was renewed.", ["Lance"]),
    (PersonCueRecognizer, "fr", "Cordialement, Jeanne Roux", ["Jeanne Roux"]),
    (PersonCueRecognizer, "en", "Kind regards, Dana Ray", ["Dana Ray"]),
    (PersonCueRecognizer, "en", "Dear Support, Hi Team! Hello All,", []),  # groups, not people
    (PersonCueRecognizer, "en", "left with my neighbour Mrs. Okafor at 14", []),  # a title is no name
    (PersonCueRecognizer, "fr", "Bonjour Messieurs, Cordialement, Service client", []),
    (PersonCueRecognizer, "fr", "Nom : Lopez / Prénom : Charles", ["Lopez", "Charles"]),
    (PersonCueRecognizer, "en", "Name: Figueroa / First name: Randy", ["Figueroa", "Randy"]),
    (PersonCueRecognizer, "en", "Call note: customer Chambers asked for a call.", ["Chambers"]),
    (PersonCueRecognizer, "fr", "Ticket ouvert par Georges : le module plante.", ["Georges"]),
    (PersonCueRecognizer, "en", "Ticket opened by Erica: the module fails.", ["Erica"]),
    (PersonCueRecognizer, "fr", "J'ai parlé avec Pierre hier.", ["Pierre"]),
    (LocationCueRecognizer, "fr", "Nom : Lopez / Ville : Saint-Malo", ["Saint-Malo"]),
    (OrganizationCueRecognizer, "en", "Employer: Acme Widgets, since 2019.", ["Acme Widgets"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("cls", "lang", "text", "expected"),
    CASES,
    ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)],
)
def test_recognizer(
    cls: type[PatternRecognizer], lang: str, text: str, expected: list[str]
) -> None:
    assert found(cls(), text, lang) == expected


def test_explanation_names_recognizer_pattern_context_and_validation() -> None:
    (span,) = IbanRecognizer().analyze("virement sur l'IBAN FR7630006000011234567890189", "fr")
    assert span.explanation.recognizer == "iban"
    assert span.explanation.pattern == "iban"
    assert "iban" in span.explanation.context_words
    assert span.explanation.validation == "mod-97 ok"
    assert span.score == 1.0


def test_value_is_kept_out_of_repr() -> None:
    (span,) = EmailRecognizer().analyze("mail: secret.person@example.fr", "fr")
    assert "secret.person" not in repr(span)
    assert span.text == "secret.person@example.fr"
