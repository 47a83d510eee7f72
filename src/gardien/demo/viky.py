"""viky.ai (Pertimm Développement): accounts, their agents, intents and training sentences,
API usage logs and support tickets.

Shape: ``users`` is the identity table (e-mail, username, user id). The chain
users → agents → intents → expressions is three hops; users ↔ agents is a
cycle (an agent's owner, a user's favourite agent, always one of their own).
Free text: agent and intent descriptions, training sentences, the sentences
sent to the API, support tickets; they name other people, and now and then
the known person.

Some holders have deleted their account (``users.deleted_at``, after their
last activity; NULL while it is open): its rows are still there, what the
retention rule "kept until the account is deleted" sweeps away.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, Text

from gardien.demo.company import Company, People, company_metadata, personal
from gardien.demo.people import REFERENCE, Draw, KnownPerson, Person
from gardien.demo.rows import Rows

metadata = company_metadata()

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False, unique=True, index=True, info=personal()),
    Column("username", String(64), nullable=False, unique=True, index=True, info=personal()),
    Column("encrypted_password", String(128), nullable=False, info=personal()),
    Column(
        "favorite_agent_id",
        Integer,
        ForeignKey("agents.id", use_alter=True),
        index=True,
        info=personal(),
    ),
    Column("created_at", DateTime, nullable=False),
    Column("last_sign_in_at", DateTime),
    # When the holder deleted the account (NULL: open); the retention sweep's anchor.
    Column("deleted_at", DateTime, index=True),
)

agents = Table(
    "agents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("owner_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("slug", String(64), nullable=False),
    Column("name", String(120), nullable=False, info=personal()),
    Column("description", Text, info=personal()),
    Column("visibility", String(10), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

intents = Table(
    "intents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("agent_id", Integer, ForeignKey("agents.id"), nullable=False, index=True),
    Column("code", String(64), nullable=False),
    Column("description", Text, info=personal()),
    Column("created_at", DateTime, nullable=False),
)

expressions = Table(
    "expressions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("intent_id", Integer, ForeignKey("intents.id"), nullable=False, index=True),
    Column("expression", Text, nullable=False, info=personal()),
    Column("locale", String(5), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

api_requests = Table(
    "api_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), index=True),
    Column("agent_id", Integer, ForeignKey("agents.id"), index=True),
    Column("sentence", Text, info=personal()),
    Column("ip_address", String(128), info=personal()),
    Column("status", Integer, nullable=False),
    Column("duration_ms", Integer, nullable=False),
    Column("requested_at", DateTime, nullable=False),
)

support_tickets = Table(
    "support_tickets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("subject", String(200), nullable=False, info=personal()),
    Column("body", Text, nullable=False, info=personal()),
    Column("status", String(12), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

KNOWN = KnownPerson(
    first_name="Élodie",
    last_name="Marchand",
    email="elodie.marchand@example.org",
    phone="+33639981274",
    description="a viky.ai account holder with two agents, their intents and training "
    "sentences, API calls and a support ticket",
    identities={"email": "elodie.marchand@example.org", "user_id": "1", "username": "emarchand"},
)

AGENTS = {
    "fr": ("Assistant réservation", "Bot FAQ SAV", "Agent RH interne", "Prise de rendez-vous",
           "Assistant commandes", "Bot météo"),
    "en": ("Booking assistant", "Customer FAQ bot", "HR helpdesk", "Appointment scheduler",
           "Order tracker", "Weather bot"),
}  # fmt: skip
INTENTS = ("book_table", "cancel_booking", "opening_hours", "call_someone", "send_quote",
           "order_status", "weather", "talk_to_human", "reset_password", "greetings")  # fmt: skip
EXPRESSIONS = {
    "fr": (
        "Réserve une table pour deux au nom de {other} ce soir à 20h",
        "Appelle {other} sur son portable",
        "Envoie le devis à {email} avant vendredi",
        "Quel temps fera-t-il à {city} demain ?",
        "Je voudrais parler à un conseiller",
        "Annule le rendez-vous de {other} prévu jeudi",
        "Où en est ma commande livrée à {city} ?",
        "Bonjour, je suis {me}, rappelez-moi au {phone}",
    ),
    "en": (
        "Book a table for two under {other} tonight at 8pm",
        "Call {other} on their mobile",
        "Send the quote to {email} before Friday",
        "What will the weather be like in {city} tomorrow?",
        "I would like to talk to an advisor",
        "Cancel {other}'s appointment on Thursday",
        "Where is my order to {city}?",
        "Hi, this is {me}, call me back on {phone}",
    ),
}
DESCRIPTIONS = {
    "fr": ("Agent créé pour {company}, suivi avec {other}.",
           "Prototype pour le service client ; questions fréquentes relevées par {other}.",
           "Répond aux demandes de réservation à {city}."),
    "en": ("Agent built for {company}, followed up with {other}.",
           "Prototype for customer service; frequent questions collected by {other}.",
           "Answers booking requests in {city}."),
}  # fmt: skip
TICKETS = {
    "fr": (
        ("Erreur 500 sur l'API", "Bonjour, depuis ce matin l'agent {agent} renvoie une erreur 500. "
         "Mon collègue {other} a le même souci. Pouvez-vous me rappeler au {phone} ? {me}"),
        ("Partage d'un agent", "Bonjour, je voudrais partager mon agent avec {other} "
         "({other_email}). Comment faire ? Merci, {me}"),
        ("Quota dépassé", "Nous avons dépassé le quota d'appels ce mois-ci. Merci de contacter "
         "{other}, notre responsable technique. Cordialement, {me}"),
    ),
    "en": (
        ("API returns 500", "Hello, since this morning the agent {agent} returns a 500 error. "
         "My colleague {other} has the same problem. Could you call me back on {phone}? {me}"),
        ("Sharing an agent", "Hi, I would like to share my agent with {other} ({other_email}). "
         "How do I do that? Thanks, {me}"),
        ("Quota exceeded", "We went over our API quota this month. Please get in touch with "
         "{other}, our technical lead. Regards, {me}"),
    ),
}  # fmt: skip


def _text(draw: Draw, person: Person, template: str, **extra: str) -> str:
    return template.format(
        me=person.full_name,
        other=draw.someone_else(person),
        email=person.email,
        phone=person.spoken_phone,
        city=draw.city(),
        **extra,
    )


#: Share of accounts their holder has deleted (their rows wait for the retention sweep).
DELETED_RATE = 0.1
#: A deletion comes this long at most after the holder's last activity.
DELETION_DELAY = dt.timedelta(days=45)


def _deleted_at(person: Person, latest: dt.datetime) -> dt.datetime | None:
    """When ``person`` deleted their account, after ``latest`` (their last dated row), or
    None (open; always for the known person). Drawn from a hash of their e-mail address,
    not from the build's random stream, so that every other value stays as it was."""
    if person.index == 0:
        return None
    digest = hashlib.blake2b(person.email.encode(), digest_size=16, person=b"viky.deleted").digest()
    if int.from_bytes(digest[:8]) / 2**64 >= DELETED_RATE:
        return None
    delay = DELETION_DELAY.total_seconds() * int.from_bytes(digest[8:]) / 2**64
    moment = latest + dt.timedelta(seconds=int(delay))
    return moment if moment <= REFERENCE else None


def _username(person: Person) -> str:
    if person.index == 0:
        return KNOWN.identities["username"]
    return f"{person.email.partition('@')[0].replace('.', '')[:50]}"


def generate(rows: Rows, people: People) -> None:
    for index, draw in people:
        known = index == 0
        person = draw.person(index)
        lang = person.lang
        user_id = rows.next_id(users)
        created = draw.since(6)
        latest = created  # the person's last dated row, which a deletion comes after
        n_agents = max(2, draw.count(1, 1.3, 6)) if known else draw.count(1, 1.3, 6)
        agent_ids = []
        for _ in range(n_agents):
            agent_id = rows.next_id(agents)
            agent_ids.append(agent_id)
            template = draw.choice(DESCRIPTIONS[lang])
            company = draw.company()
            agent = (
                agent_id,
                user_id,
                f"agent-{agent_id}",
                draw.choice(AGENTS[lang]),
                _text(draw, person, template, company=company),
                "private" if draw.chance(0.8) else "public",
                draw.later(created, 400),
            )
            rows.add(agents, agent)
            latest = max(latest, agent[-1])
            for _ in range(max(2, draw.count(1, 1.8, 8)) if known else draw.count(1, 1.8, 8)):
                intent_id = rows.next_id(intents)
                described = draw.chance(0.3)
                intent = (
                    intent_id,
                    agent_id,
                    draw.choice(INTENTS),
                    _text(draw, person, draw.choice(DESCRIPTIONS[lang]), company=company)
                    if described
                    else None,
                    draw.later(created, 500),
                )
                rows.add(intents, intent)
                latest = max(latest, intent[-1])
                for _ in range(draw.count(1, 1.8, 8)):
                    expression = (
                        rows.next_id(expressions),
                        intent_id,
                        _text(draw, person, draw.choice(EXPRESSIONS[lang])),
                        "fr-FR" if lang == "fr" else "en-US",
                        draw.later(created, 600),
                    )
                    rows.add(expressions, expression)
                    latest = max(latest, expression[-1])
        last_ip = draw.ip_address()
        # Drawn here, written once the person's last activity (and so deleted_at) is known.
        user = (
            user_id,
            person.email,
            _username(person),
            draw.password_hash(),
            agent_ids[0] if draw.chance(0.6) or known else None,
            created,
            draw.later(created, 2000),
        )
        latest = max(latest, user[-1])
        calls = people.known_rows if known and people.known_rows else draw.count(0, 2.0, 40)
        for _ in range(max(calls, 3) if known else calls):
            call = (
                rows.next_id(api_requests),
                user_id,
                draw.choice(agent_ids),
                _text(draw, person, draw.choice(EXPRESSIONS[lang])),
                last_ip if draw.chance(0.7) else draw.ip_address(),
                200 if draw.chance(0.95) else 500,
                20 + int(draw.rng.expovariate(1 / 80)),
                draw.later(created, 2000),
            )
            rows.add(api_requests, call)
            latest = max(latest, call[-1])
        if draw.talkative(person, 0.25):
            subject, body = draw.choice(TICKETS[lang])
            other_first, other_last = draw.name(lang)
            ticket = (
                rows.next_id(support_tickets),
                user_id,
                subject,
                _text(
                    draw,
                    person,
                    body,
                    agent=f"agent-{agent_ids[0]}",
                    other_email=draw.email(other_first, other_last, draw.rng.randrange(10**6)),
                ),
                "closed" if draw.chance(0.7) else "open",
                draw.later(created, 2000),
            )
            rows.add(support_tickets, ticket)
            latest = max(latest, ticket[-1])
        rows.add(users, (*user, _deleted_at(person, latest)))


COMPANY = Company(
    name="viky",
    title="viky.ai (Pertimm Développement)",
    example="viky.yaml",
    datastore="viky_platform",
    metadata=metadata,
    known=KNOWN,
    generate=generate,
    bulk_table="api_requests",
    summary="accounts, agents, intents, training sentences, API usage logs, support tickets",
)
