"""The AI feedback platform (Verbatim Insights): client companies and their users, their
customers' feedback, the anonymised analyses sent to the AI provider.

Shape: two identity tables. ``users`` (the client companies' staff: e-mail,
username, user id) write to support; ``respondents`` (the clients of those
companies, by e-mail) give feedback. The chain respondents → feedback →
ai_analyses → analysis_topics is three hops; respondents ↔ consents is a
cycle (a respondent's consents, and the one in force). Verbatims are free
text full of names, e-mail addresses and phone numbers, the respondent's own
and other people's; the analyses hold only the anonymised text that left for
the AI provider. The known person works at one client company and gave
feedback to another.

Retention (the example binds its rules to these tables): a client company
records when its account was closed (``client_companies.closed_at``, NULL
while it is a customer; every fourth one, ids 4, 8…, has left, after its last
activity), a user when they closed their own account (``users.closed_at``,
about one in seven, after their last login or message). Their rows are still
there, what "as long as your account remains active" sweeps away. These
values come from a random stream of their own, seeded from the build's
without drawing from it: every other value is what it was before they were
added. The known person's account and both their companies stay open.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, Text

from gardien.demo.company import Company, People, company_metadata, personal
from gardien.demo.people import REFERENCE, Draw, KnownPerson, Person
from gardien.demo.rows import Rows

metadata = company_metadata()

client_companies = Table(
    "client_companies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(160), nullable=False),
    Column("sector", String(60), nullable=False),
    Column("created_at", DateTime, nullable=False),
    # When the customer's account was closed (NULL: still a customer); a retention anchor.
    Column("closed_at", DateTime, index=True),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", Integer, ForeignKey("client_companies.id"), nullable=False, index=True),
    Column("first_name", String(80), nullable=False, info=personal()),
    Column("email", String(254), nullable=False, unique=True, index=True, info=personal()),
    Column("username", String(64), nullable=False, unique=True, index=True, info=personal()),
    Column("password_hash", String(128), nullable=False, info=personal()),
    Column("interests", String(300), info=personal()),
    Column("created_at", DateTime, nullable=False),
    Column("last_login_at", DateTime),
    # When the user closed their account (NULL: active); a retention anchor.
    Column("closed_at", DateTime, index=True),
)

support_messages = Table(
    "support_messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("direction", String(8), nullable=False),
    Column("body", Text, nullable=False, info=personal()),
    Column("sent_at", DateTime, nullable=False),
)

respondents = Table(
    "respondents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", Integer, ForeignKey("client_companies.id"), nullable=False, index=True),
    Column("first_name", String(80), info=personal()),
    Column("email", String(254), index=True, info=personal()),
    Column(
        "current_consent_id",
        Integer,
        ForeignKey("consents.id", use_alter=True),
        index=True,
        info=personal(),
    ),
    Column("created_at", DateTime, nullable=False),
)

consents = Table(
    "consents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("respondent_id", Integer, ForeignKey("respondents.id"), nullable=False, index=True),
    Column("channel", String(20), nullable=False, info=personal()),
    Column("wording_version", String(20), nullable=False),
    Column("given_at", DateTime, nullable=False, info=personal()),
    Column("withdrawn_at", DateTime, info=personal()),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("respondent_id", Integer, ForeignKey("respondents.id"), index=True),
    Column("campaign", String(120), nullable=False),
    Column("verbatim", Text, nullable=False, info=personal()),
    Column("rating", Integer),
    Column("language", String(2), nullable=False),
    Column("submitted_at", DateTime, nullable=False),
)

ai_analyses = Table(
    "ai_analyses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("feedback_id", Integer, ForeignKey("feedback.id"), nullable=False, index=True),
    Column("provider", String(20), nullable=False),
    Column("model", String(40), nullable=False),
    Column("sent_text", Text, nullable=False, info=personal()),
    Column("sentiment", String(10), nullable=False),
    Column("sent_at", DateTime, nullable=False),
)

analysis_topics = Table(
    "analysis_topics",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("analysis_id", Integer, ForeignKey("ai_analyses.id"), nullable=False, index=True),
    Column("topic", String(60), nullable=False),
    Column("score", Integer, nullable=False),
    Column("excerpt", Text, info=personal()),
)

KNOWN = KnownPerson(
    first_name="Nathalie",
    last_name="Girard",
    email="nathalie.girard@example.org",
    phone="+33639981536",
    description="a user of a client company (support messages) who also gave feedback, with "
    "consents, AI analyses and topics, as a client of another",
    identities={"email": "nathalie.girard@example.org", "user_id": "1", "username": "ngirard"},
)

SECTORS = ("retail", "banque", "assurance", "e-commerce", "hôtellerie", "transport", "télécoms")
CAMPAIGNS = ("Enquête satisfaction T1", "NPS boutiques", "Avis livraison", "Post-achat",
             "Satisfaction Q2", "Store NPS", "Delivery survey", "Service client")  # fmt: skip
INTERESTS = ("analyse de sentiment", "expérience client", "retail", "NPS", "text mining",
             "customer experience", "churn", "voice of the customer")  # fmt: skip
TOPICS = ("delivery", "price", "staff", "product_quality", "app", "waiting_time", "refund")
VERBATIMS = {
    "fr": (
        "Livraison arrivée avec trois jours de retard à {city}. J'ai appelé le service client, "
        "{other} a été très aimable mais rien n'a bougé. Rappelez-moi au {phone} ou écrivez à "
        "{email}. {me}",
        "Très satisfaite du conseiller {other}, qui a tout réglé en dix minutes. Je recommande !",
        "Le produit ne correspond pas à la description. Ma sœur {other} ({other_email}) a eu le "
        "même problème le mois dernier.",
        "Application lente depuis la mise à jour. Contactez-moi : {email} / {phone}.",
        "Accueil déplorable au magasin de {city}, le responsable {other} ne m'a même pas répondu.",
        "Merci à {other} et à toute l'équipe de {city} pour leur patience. {me}",
        "Remboursement toujours pas reçu après six semaines. Mon numéro de dossier est au nom de "
        "{me}, tél. {phone}.",
    ),
    "en": (
        "Delivery came three days late to {city}. I called customer service, {other} was very "
        "kind but nothing happened. Call me back on {phone} or write to {email}. {me}",
        "Really happy with {other}, who sorted everything out in ten minutes. Recommended!",
        "The product does not match its description. My sister {other} ({other_email}) had the "
        "same problem last month.",
        "The app has been slow since the update. Reach me at {email} / {phone}.",
        "Poor welcome at the {city} store, the manager {other} did not even answer me.",
        "Thanks to {other} and the whole {city} team for their patience. {me}",
        "Still no refund after six weeks. My case is under {me}, phone {phone}.",
    ),
}
SUPPORT = {
    "fr": (
        "Bonjour, les verbatims de la campagne « {campaign} » ne s'affichent plus dans le rapport. "
        "Pouvez-vous voir avec {other} ? {me}, {phone}",
        "Bonjour, pouvez-vous créer un accès pour ma collègue {other} ({other_email}) ? "
        "Merci, {me}",
        "Le rapport mensuel est vide depuis lundi. {me}",
    ),
    "en": (
        'Hello, the verbatims of the "{campaign}" campaign no longer show in the report. Could '
        "you check with {other}? {me}, {phone}",
        "Hi, could you give my colleague {other} ({other_email}) an account? Thanks, {me}",
        "The monthly report has been empty since Monday. {me}",
    ),
}
REPLIES = {
    "fr": "Bonjour {me_first}, c'est corrigé, merci de votre patience. L'équipe support",
    "en": "Hello {me_first}, this is fixed now, thank you for your patience. The support team",
}
#: Client companies whose id is a multiple of this have left (their account is closed).
LEFT_EVERY = 4
#: Share of users (the known person never) who closed their own account.
CLOSED_SHARE = 0.15
#: A closure comes this many days at most after the last activity it follows.
CLOSING_DAYS = 60

ANONYMISED = {
    "me": "<PERSON>",
    "other": "<PERSON>",
    "email": "<EMAIL_ADDRESS>",
    "other_email": "<EMAIL_ADDRESS>",
    "phone": "<PHONE_NUMBER>",
    "city": "<LOCATION>",
}


def _slots(draw: Draw, person: Person) -> dict[str, str]:
    first, last = draw.name(person.lang)
    return {
        "me": person.full_name,
        "me_first": person.first_name,
        "other": draw.someone_else(person),
        "email": person.email,
        "other_email": draw.email(first, last, draw.rng.randrange(10**6)),
        "phone": person.spoken_phone,
        "city": draw.city(),
        "campaign": draw.choice(CAMPAIGNS),
    }


def _user(rows: Rows, draw: Draw, person: Person, company_id: int, kept: Draw) -> dt.datetime:
    """The user's row and support messages; their last activity (for their company's)."""
    user_id = rows.next_id(users)
    created = draw.since(5)
    username = "ngirard" if person.index == 0 else f"{person.email.partition('@')[0][:50]}"
    # Drawn here, written once the user's last activity (and so closed_at) is known.
    user = (
        user_id,
        company_id,
        person.first_name,
        person.email,
        username,
        draw.password_hash(),
        ", ".join(sorted({draw.choice(INTERESTS) for _ in range(3)})),
        created,
        draw.later(created, 1500),
    )
    messages = []
    for _ in range(draw.count(2, 2.5, 12) if person.index <= 2 else draw.count(0, 1.0, 12)):
        slots = _slots(draw, person)
        asked = draw.later(created, 1500)
        messages.append(
            (
                rows.next_id(support_messages),
                user_id,
                "in",
                draw.choice(SUPPORT[person.lang]).format(**slots),
                asked,
            )
        )
        if draw.chance(0.7):
            messages.append(
                (
                    rows.next_id(support_messages),
                    user_id,
                    "out",
                    REPLIES[person.lang].format(**slots),
                    draw.later(asked, 3),
                )
            )
    latest = max([user[-1], *(message[-1] for message in messages)])
    closed = None
    if person.index != 0 and kept.chance(CLOSED_SHARE):
        closed = kept.later(latest, CLOSING_DAYS)
    rows.add(users, (*user, closed))
    for message in messages:
        rows.add(support_messages, message)
    return latest


def _respondent(
    rows: Rows, draw: Draw, person: Person, company_id: int, extra: int | None
) -> dt.datetime:
    """The respondent's row, consents, feedback and its analyses; their last dated row."""
    respondent_id = rows.next_id(respondents)
    known = person.index == 0
    created = draw.since(4)
    latest = created
    consent_ids = []
    given = created
    for _ in range(2 if known else draw.count(1, 1.2, 3)):
        consent_id = rows.next_id(consents)
        consent_ids.append(consent_id)
        withdrawn = None
        if draw.chance(0.1):
            withdrawn = draw.later(given, 300)
        latest = max(latest, given, withdrawn or given)
        rows.add(
            consents,
            (
                consent_id,
                respondent_id,
                draw.choice(("web_form", "email_survey", "sms_survey", "in_store")),
                draw.choice(("v1", "v2", "2024-03")),
                given,
                withdrawn,
            ),
        )
        given = draw.later(given, 400)
    rows.add(
        respondents,
        (
            respondent_id,
            company_id,
            person.first_name if known or draw.chance(0.8) else None,
            person.email if known or draw.chance(0.9) else None,
            consent_ids[-1],
            created,
        ),
    )
    many = extra if known and extra else draw.count(1, 2.5, 30)
    for _ in range(max(many, 3) if known else many):
        template = draw.choice(VERBATIMS[person.lang])
        slots = _slots(draw, person)
        feedback_id = rows.next_id(feedback)
        submitted = draw.later(created, 1200)
        latest = max(latest, submitted)
        rows.add(
            feedback,
            (
                feedback_id,
                respondent_id,
                slots["campaign"],
                template.format(**slots),
                draw.rng.randint(1, 10) if draw.chance(0.8) else None,
                person.lang,
                submitted,
            ),
        )
        if not (known or draw.chance(0.9)):
            continue
        sent = template.format(**{**slots, **ANONYMISED})
        analysis_id = rows.next_id(ai_analyses)
        analysis = (
            analysis_id,
            feedback_id,
            "openai",
            draw.choice(("gpt-4o-mini", "gpt-4.1")),
            sent,
            draw.choice(("negative", "neutral", "positive")),
            min(draw.later(submitted, 2), REFERENCE),
        )
        rows.add(ai_analyses, analysis)
        latest = max(latest, analysis[-1])
        for topic in sorted({draw.choice(TOPICS) for _ in range(draw.count(1, 2.0, 4))}):
            rows.add(
                analysis_topics,
                (
                    rows.next_id(analysis_topics),
                    analysis_id,
                    topic,
                    draw.rng.randrange(300, 1000),
                    sent[:120],
                ),
            )
    return latest


def _retention_draw(people: People) -> Draw:
    """The draw of the values added for retention (when an account was closed): a stream
    of its own, seeded from the build's stream without drawing from it, so that every
    value drawn before they were added is unchanged."""
    words = people.draw.rng.getstate()[1][:8]
    stream = random.Random("ai-feedback-retention:" + ",".join(str(word) for word in words))
    return Draw(people.draw.vocabulary, stream, people.draw.known)


def generate(rows: Rows, people: People) -> None:
    draw = people.draw
    kept = _retention_draw(people)
    companies = max(2, people.count // 50)
    # Drawn first, written last: a company that left closed after its last activity.
    firms = []
    for _ in range(companies):
        company_id = rows.next_id(client_companies)
        name = "Maison Lorient SAS" if company_id == 1 else draw.company()
        firms.append((company_id, name, draw.choice(SECTORS), draw.since(6)))
    latest = {firm[0]: firm[-1] for firm in firms}

    def active(company_id: int, moment: dt.datetime) -> None:
        latest[company_id] = max(latest[company_id], moment)

    for index, own in people:
        person = own.person(index)
        if index == 0:  # staff of the first client company, client of the second
            active(1, _user(rows, own, person, 1, kept))
            active(2, _respondent(rows, own, person, 2, people.known_rows))
        elif own.chance(0.15):
            company_id = own.rng.randint(1, companies)
            active(company_id, _user(rows, own, person, company_id, kept))
        else:
            company_id = own.rng.randint(1, companies)
            active(company_id, _respondent(rows, own, person, company_id, None))
    for firm in firms:
        left = firm[0] % LEFT_EVERY == 0
        rows.add(
            client_companies, (*firm, kept.later(latest[firm[0]], CLOSING_DAYS) if left else None)
        )


COMPANY = Company(
    name="ai-feedback",
    title="the AI feedback platform (Verbatim Insights)",
    example="ai-feedback.yaml",
    datastore="feedback_platform",
    metadata=metadata,
    known=KNOWN,
    generate=generate,
    bulk_table="feedback",
    summary="client companies and their users, their customers' feedback and consents, "
    "the anonymised analyses sent to the AI provider and their topics",
)
