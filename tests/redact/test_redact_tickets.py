"""Whole tickets, chats and e-mails as support tools export them: every
personal value must be gone after redaction, and the words that carry the
request must stay. Written by hand (invented people), each case is a
failure once seen in such text: an English reply inside a French ticket,
a signature after a blank line, a chat log's brackets, a flat number
before the postcode, a first name alone after the full name, a NIR
without its key, a greeting to "Support"."""

from __future__ import annotations

import pytest

from gardien.redact import Analyzer, redact

TICKETS: list[tuple[str, str, list[str], list[str]]] = [
    (
        "french-with-english-reply",
        "Bonjour, j'ai commandé le 14 novembre un aspirateur et je n'ai toujours rien reçu. "
        "Mon adresse est 7 allée des Tilleuls, 69120 Vaulx-en-Velin. Vous pouvez me joindre "
        "au 07 81 22 45 90. Cordialement, Nathalie Giraud\n\n"
        "Hi team, this is Priya Raman from Northwind Traders. Our invoice was charged twice "
        "to IBAN DE89 3704 0044 0532 0130 00. Please refund. Priya\n\n"
        "The app crashes every time I open the camera. My account is "
        "priya.raman@northwind.example and my IP was 192.168.0.12 at the time.\n",
        ["14 novembre", "Tilleuls", "69120", "07 81 22 45 90", "Nathalie", "Giraud", "Priya",
         "Raman", "DE89", "priya.raman", "192.168.0.12"],
        ["aspirateur", "The app crashes every time I open the camera", "charged twice"],
    ),
    (
        "chat-log",
        "[10:43] agent (Sophie): Bonjour Monsieur Durand, pouvez-vous me donner votre numéro ?\n"
        "[10:43] client: mon tel c'est le 06.45.12.78.90\n"
        "[10:44] agent (Sophie): Merci. La box est bien au 3 rue Victor Hugo, Bât. B, "
        "33000 Bordeaux ?\n",
        ["Sophie", "Durand", "06.45.12.78.90", "Victor Hugo", "Bât. B", "33000", "Bordeaux"],
        ["[10:43] agent (", "): Merci.", "La box est bien au"],
    ),
    (
        "hr-mail",
        "Objet : Arrêt maladie\nBonjour Mme Petit,\nJe serai absente du 4 au 15 décembre "
        "(certificat du Dr Lemaire joint). Mon numéro de sécurité sociale est le "
        "2 91 07 75 056 123.\nBien à vous,\nClaire Rousseau\n",
        ["Petit", "15 décembre", "Lemaire", "2 91 07 75 056 123", "Claire", "Rousseau"],
        ["Arrêt maladie", "certificat", "Bien à vous"],
    ),
    (
        "english-request",
        "Dear Support,\nMy name is Michael O'Brien and I live at 221B Baker Street, London "
        "NW1 6XE. My SSN is 123-45-6789 and my date of birth is 04/12/1986. Please call me on "
        "+44 7700 900123 or email mob1986@example.com.\nBest, Mike\n",
        ["Michael", "O'Brien", "221B Baker Street", "NW1 6XE", "123-45-6789", "04/12/1986",
         "7700 900123", "mob1986", "Mike"],
        ["Dear Support", "date of birth", "Please call me"],
    ),
    (
        "delivery-complaint",
        "I ordered on 12 March 2024. The parcel was left with my neighbour Mrs. Okafor at "
        "number 14 without asking me. Really disappointed.\n- Daniel Weiss\n",
        ["12 March 2024", "Okafor", "Daniel", "Weiss"],
        ["my neighbour Mrs.", "Really disappointed"],
    ),
    (
        "erasure-request",
        "La cliente Mme Françoise Le Gall, domiciliée 8 place du Marché, 29200 Brest, "
        "demande la suppression de son compte. Son RIB : FR14 2004 1010 0505 0001 3M02 606, "
        "sa connexion venait de 2a01:e35:8bd3:2c10:a4f1:9e2b:3c7d:1f20.",
        ["Françoise", "Le Gall", "place du Marché", "29200", "FR14", "2a01:e35"],
        ["La cliente Mme", "demande la suppression de son compte"],
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "gone", "kept"), [t[1:] for t in TICKETS], ids=[t[0] for t in TICKETS]
)
def test_ticket_leaves_nothing_personal_and_keeps_the_request(
    analyzer: Analyzer, text: str, gone: list[str], kept: list[str]
) -> None:
    redacted = redact(text, operator="placeholder").text
    assert [value for value in gone if value in redacted] == []
    assert [words for words in kept if words not in redacted] == []
