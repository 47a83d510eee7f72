"""AMIKEO (Auticiel): parent and teacher accounts, child profiles, devices and their UUIDs,
sessions and activity data, subscriptions and payments, support requests.

Shape: ``accounts`` is the identity table (e-mail, phone, user id), and
``devices`` holds the app's UUID (``device_id``). The chains accounts →
child_profiles → sessions → activity_events and accounts → devices →
sessions → activity_events are three hops; accounts ↔ child_profiles is a
cycle (a child's account, an account's child shown first). Payments are
accounting records kept ten years (a legal hold), with the billing name and
e-mail they were made under. Free text: support requests, which name
children, teachers and other parents.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, Text

from gardien.demo.company import Company, People, company_metadata, personal
from gardien.demo.people import Draw, KnownPerson, Person
from gardien.demo.rows import Rows

metadata = company_metadata()

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("role", String(10), nullable=False, info=personal()),
    Column("first_name", String(80), nullable=False, info=personal()),
    Column("last_name", String(80), nullable=False, info=personal()),
    Column("email", String(254), nullable=False, unique=True, index=True, info=personal()),
    Column("phone", String(20), index=True, info=personal()),
    Column("password_hash", String(128), nullable=False, info=personal()),
    Column("postal_code", String(10), info=personal()),
    Column(
        "primary_child_id",
        Integer,
        ForeignKey("child_profiles.id", use_alter=True),
        index=True,
        info=personal(),
    ),
    Column("created_at", DateTime, nullable=False),
    Column("last_login_at", DateTime),
)

child_profiles = Table(
    "child_profiles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False, index=True),
    Column("first_name", String(80), nullable=False, info=personal()),
    Column("avatar", String(40), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

devices = Table(
    "devices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False, index=True),
    Column("device_uuid", String(36), nullable=False, unique=True, index=True, info=personal()),
    Column("platform", String(10), nullable=False, info=personal()),
    Column("model", String(40), nullable=False, info=personal()),
    Column("app_version", String(12), nullable=False),
    Column("ip_address", String(128), info=personal()),
    Column("installed_at", DateTime, nullable=False),
    Column("last_seen_at", DateTime, nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("child_id", Integer, ForeignKey("child_profiles.id"), nullable=False, index=True),
    Column("device_id", Integer, ForeignKey("devices.id"), nullable=False, index=True),
    Column("started_at", DateTime, nullable=False, info=personal()),
    Column("duration_s", Integer, nullable=False, info=personal()),
)

activity_events = Table(
    "activity_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("sessions.id"), nullable=False, index=True),
    Column("app", String(40), nullable=False, info=personal()),
    Column("event", String(40), nullable=False, info=personal()),
    Column("occurred_at", DateTime, nullable=False),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False, index=True),
    Column("plan", String(30), nullable=False, info=personal()),
    Column("status", String(12), nullable=False),
    Column("started_at", DateTime, nullable=False),
)

payments = Table(
    "payments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subscription_id", Integer, ForeignKey("subscriptions.id"), index=True),
    Column("invoice_number", String(20), nullable=False),
    Column("billing_name", String(160), nullable=False, info=personal()),
    Column("billing_email", String(254), nullable=False, index=True, info=personal()),
    Column("amount_cents", Integer, nullable=False, info=personal()),
    Column("currency", String(3), nullable=False),
    Column("paid_at", DateTime, nullable=False, info=personal()),
)

support_requests = Table(
    "support_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False, index=True),
    Column("subject", String(200), nullable=False, info=personal()),
    Column("message", Text, nullable=False, info=personal()),
    Column("status", String(10), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

KNOWN = KnownPerson(
    first_name="Sophie",
    last_name="Lefèvre",
    email="sophie.lefevre@example.org",
    phone="+33639981427",
    device_id="3f6c1a52-8d4e-4b7a-9c21-5e0f7a9d2b64",
    description="a parent with two children on two devices, their sessions and activity, a "
    "subscription and its payments, and support requests",
    identities={
        "email": "sophie.lefevre@example.org",
        "phone": "+33639981427",
        "user_id": "1",
        "device_id": "3f6c1a52-8d4e-4b7a-9c21-5e0f7a9d2b64",
    },
)

AVATARS = ("renard", "chouette", "baleine", "tortue", "lion", "panda", "fusée", "étoile")
MODELS = {
    "ios": ("iPad (9th generation)", "iPad Air", "iPhone 13", "iPad mini"),
    "android": ("Galaxy Tab A8", "Lenovo Tab M10", "Pixel 7", "Galaxy A54"),
}
APPS = ("AMIKEO Agenda", "AMIKEO Apps", "Séquences", "Communication")
EVENTS = ("open_app", "complete_sequence", "select_pictogram", "start_timer", "view_agenda",
          "record_audio", "take_photo")  # fmt: skip
PLANS = ("famille_mensuel", "famille_annuel", "classe_annuel")
REQUESTS = {
    "fr": (
        ("L'application plante", "Bonjour, l'application plante au lancement sur la tablette de "
         "{child}. {other}, son enseignante, me dit que c'est pareil en classe. Vous pouvez me "
         "joindre au {phone}. {me}"),
        ("Facture", "Bonjour, pouvez-vous envoyer la facture de mon abonnement à {email} ? "
         "Le père de {child}, {other}, ne l'a pas reçue. Merci"),
        ("Partage de profil", "Je voudrais que {other} (orthophoniste de {child}) puisse voir "
         "les séquences de {child}. Est-ce possible ? {me}"),
    ),
    "en": (
        ("The app crashes", "Hello, the app crashes at launch on {child}'s tablet. {other}, "
         "their teacher, says it does the same at school. You can reach me on {phone}. {me}"),
        ("Invoice", "Hello, could you send my subscription invoice to {email}? {child}'s father, "
         "{other}, did not get it. Thanks"),
        ("Sharing a profile", "I would like {other} ({child}'s speech therapist) to see "
         "{child}'s sequences. Is that possible? {me}"),
    ),
}  # fmt: skip


def _devices(rows: Rows, draw: Draw, person: Person, account_id: int) -> list[int]:
    ids = []
    for number in range(2 if person.index == 0 else draw.count(1, 1.4, 4)):
        platform = "ios" if draw.chance(0.55) else "android"
        device_id = rows.next_id(devices)
        ids.append(device_id)
        installed = draw.since(4)
        uuid = KNOWN.device_id if person.index == 0 and number == 0 else draw.device_id()
        rows.add(
            devices,
            (
                device_id,
                account_id,
                uuid,
                platform,
                draw.choice(MODELS[platform]),
                draw.choice(("3.4.1", "3.5.0", "3.6.2", "4.0.0")),
                draw.ip_address(),
                installed,
                draw.later(installed, 900),
            ),
        )
    return ids


def generate(rows: Rows, people: People) -> None:
    for index, draw in people:
        known = index == 0
        person = draw.person(index)
        account_id = rows.next_id(accounts)
        created = draw.since(5)
        teacher = not known and draw.chance(0.2)
        child_ids, child_names = [], []
        for _ in range(draw.count(4, 8, 25) if teacher else 2 if known else draw.count(1, 1.3, 4)):
            child_id = rows.next_id(child_profiles)
            child_ids.append(child_id)
            first, _ = draw.name(person.lang)
            child_names.append(first)
            rows.add(
                child_profiles,
                (child_id, account_id, first, draw.choice(AVATARS), draw.later(created, 200)),
            )
        rows.add(
            accounts,
            (
                account_id,
                "teacher" if teacher else "parent",
                person.first_name,
                person.last_name,
                person.email,
                person.phone if known or draw.chance(0.6) else None,
                draw.password_hash(),
                draw.choice(draw.vocabulary.postcodes),
                child_ids[0],
                created,
                draw.later(created, 1500),
            ),
        )
        device_ids = _devices(rows, draw, person, account_id)
        many = draw.count(1, 2.0, 30)
        for number in range(max(many, 3) if known else many):
            session_id = rows.next_id(sessions)
            started = draw.since(2)
            rows.add(
                sessions,
                (
                    session_id,
                    child_ids[number % len(child_ids)] if known else draw.choice(child_ids),
                    device_ids[number % len(device_ids)] if known else draw.choice(device_ids),
                    started,
                    draw.rng.randrange(30, 3600),
                ),
            )
            events = draw.count(1, 2.0, 20)
            if known and number == 0 and people.known_rows:
                events = people.known_rows
            for _ in range(events):
                rows.add(
                    activity_events,
                    (
                        rows.next_id(activity_events),
                        session_id,
                        draw.choice(APPS),
                        draw.choice(EVENTS),
                        draw.later(started, 0.04),
                    ),
                )
        if known or draw.chance(0.45):
            subscription_id = rows.next_id(subscriptions)
            started = draw.later(created, 60)
            rows.add(
                subscriptions,
                (
                    subscription_id,
                    account_id,
                    "classe_annuel" if teacher else draw.choice(PLANS[:2]),
                    "active" if known or draw.chance(0.7) else "cancelled",
                    started,
                ),
            )
            for _ in range(draw.count(2, 4.0, 24) if known else draw.count(1, 3.0, 24)):
                payment_id = rows.next_id(payments)
                rows.add(
                    payments,
                    (
                        payment_id,
                        subscription_id,
                        f"AMK-{payment_id:08d}",
                        person.full_name,
                        person.email,
                        draw.choice((499, 4900, 12900)),
                        "EUR",
                        draw.later(started, 700),
                    ),
                )
        if draw.talkative(person, 0.3):
            for _ in range(2 if known else draw.count(1, 1.2, 5)):
                subject, message = draw.choice(REQUESTS[person.lang])
                rows.add(
                    support_requests,
                    (
                        rows.next_id(support_requests),
                        account_id,
                        subject,
                        message.format(
                            me=person.full_name,
                            other=draw.someone_else(person),
                            child=draw.choice(child_names),
                            phone=person.spoken_phone,
                            email=person.email,
                        ),
                        "solved" if draw.chance(0.8) else "open",
                        draw.later(created, 1500),
                    ),
                )


COMPANY = Company(
    name="amikeo",
    title="AMIKEO (Auticiel)",
    example="amikeo.yaml",
    datastore="amikeo_app",
    metadata=metadata,
    known=KNOWN,
    generate=generate,
    bulk_table="activity_events",
    summary="parent and teacher accounts, child profiles, devices and their UUIDs, sessions "
    "and activity data, subscriptions and payments, support requests",
)
