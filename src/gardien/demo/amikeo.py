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

Retention (``examples/amikeo.yaml`` binds the tables to the policy's rules):
``accounts.closed_at`` is when an account was closed (its contract over: about
one account in ten, among those without a running subscription, closed after
their last recorded activity), ``devices.uninstalled_at`` when the app was
deleted from a device (about one device in four), and
``payments.contract_ended_at`` the account's closing, which starts the
payments' ten-year archive in ``payments_archive`` (same declared columns).
NULL: not yet. The known person's account is open and their apps installed.
These dates are drawn from a hash of values already drawn, never from the
random stream, so that every other value stays what the same seed always gave.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table, Text

from gardien.demo.company import Company, People, company_metadata, personal
from gardien.demo.people import REFERENCE, Draw, KnownPerson, Person
from gardien.demo.rows import Row, Rows

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
    # When the account was closed (the contract over); NULL: still open.
    Column("closed_at", DateTime, index=True),
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
    # When the app was deleted from the device (its UUID with it); NULL: still installed.
    Column("uninstalled_at", DateTime, index=True),
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
    # When the contract the payment belongs to ended (the account's closing); NULL: not yet.
    Column("contract_ended_at", DateTime, index=True),
)

# Payments whose contract has ended, kept ten years with restricted access (the
# `payment_records` rule's archive phase): the payments' declared columns, no foreign key
# (the subscription may be gone).
payments_archive = Table(
    "payments_archive",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subscription_id", Integer),
    Column("invoice_number", String(20), nullable=False),
    Column("billing_name", String(160), nullable=False, info=personal()),
    Column("billing_email", String(254), nullable=False, index=True, info=personal()),
    Column("amount_cents", Integer, nullable=False, info=personal()),
    Column("currency", String(3), nullable=False),
    Column("paid_at", DateTime, nullable=False, info=personal()),
    Column("contract_ended_at", DateTime, index=True),
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


#: Share of accounts closed, among those without a running subscription (about one in ten
#: of all accounts), and share of devices the app was deleted from.
CLOSED_SHARE = 0.15
UNINSTALLED_SHARE = 0.25


def _share(*parts: str) -> float:
    """A number in [0, 1) read from a hash of ``parts``: a draw that takes nothing from the
    random stream, so that every value drawn from it stays what the same seed gave."""
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def _between(start: dt.datetime, fraction: float) -> dt.datetime:
    """A moment ``fraction`` of the way from ``start`` to ``REFERENCE``, to the second."""
    start = min(start, REFERENCE)
    return start + dt.timedelta(seconds=int(fraction * (REFERENCE - start).total_seconds()))


def _devices(rows: Rows, draw: Draw, person: Person, account_id: int) -> list[Row]:
    """The person's devices, not written yet: when the app was deleted is added last."""
    made: list[Row] = []
    for number in range(2 if person.index == 0 else draw.count(1, 1.4, 4)):
        platform = "ios" if draw.chance(0.55) else "android"
        device_id = rows.next_id(devices)
        installed = draw.since(4)
        uuid = KNOWN.device_id if person.index == 0 and number == 0 else draw.device_id()
        made.append(
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
            )
        )
    return made


def generate(rows: Rows, people: People) -> None:
    for index, draw in people:
        known = index == 0
        person = draw.person(index)
        account_id = rows.next_id(accounts)
        created = draw.since(5)
        teacher = not known and draw.chance(0.2)
        child_ids, child_names = [], []
        # The person's last recorded activity: an account is closed after it.
        latest = created
        for _ in range(draw.count(4, 8, 25) if teacher else 2 if known else draw.count(1, 1.3, 4)):
            child_id = rows.next_id(child_profiles)
            child_ids.append(child_id)
            first, _ = draw.name(person.lang)
            child_names.append(first)
            avatar = draw.choice(AVATARS)
            child_created = draw.later(created, 200)
            latest = max(latest, child_created)
            rows.add(child_profiles, (child_id, account_id, first, avatar, child_created))
        # Written once the person's other rows say whether and when it was closed.
        account: Row = (
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
        )
        latest = max(latest, account[-1])
        device_rows = _devices(rows, draw, person, account_id)
        device_ids = [device[0] for device in device_rows]
        # Each device's last recorded use: the app is deleted after it.
        used = {device[0]: max(device[7], device[8]) for device in device_rows}
        many = draw.count(1, 2.0, 30)
        for number in range(max(many, 3) if known else many):
            session_id = rows.next_id(sessions)
            started = draw.since(2)
            child = child_ids[number % len(child_ids)] if known else draw.choice(child_ids)
            device = device_ids[number % len(device_ids)] if known else draw.choice(device_ids)
            duration = draw.rng.randrange(30, 3600)
            rows.add(sessions, (session_id, child, device, started, duration))
            ended = started + dt.timedelta(seconds=duration)
            used[device] = max(used[device], ended)
            latest = max(latest, ended)
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
        subscribed = False  # a subscription still running: its account is not closed
        payment_rows: list[Row] = []
        if known or draw.chance(0.45):
            subscription_id = rows.next_id(subscriptions)
            started = draw.later(created, 60)
            plan = "classe_annuel" if teacher else draw.choice(PLANS[:2])
            status = "active" if known or draw.chance(0.7) else "cancelled"
            subscribed = status == "active"
            rows.add(subscriptions, (subscription_id, account_id, plan, status, started))
            latest = max(latest, started)
            for _ in range(draw.count(2, 4.0, 24) if known else draw.count(1, 3.0, 24)):
                payment_id = rows.next_id(payments)
                payment: Row = (
                    payment_id,
                    subscription_id,
                    f"AMK-{payment_id:08d}",
                    person.full_name,
                    person.email,
                    draw.choice((499, 4900, 12900)),
                    "EUR",
                    draw.later(started, 700),
                )
                payment_rows.append(payment)
                latest = max(latest, payment[-1])
        if draw.talkative(person, 0.3):
            for _ in range(2 if known else draw.count(1, 1.2, 5)):
                subject, message = draw.choice(REQUESTS[person.lang])
                text = message.format(
                    me=person.full_name,
                    other=draw.someone_else(person),
                    child=draw.choice(child_names),
                    phone=person.spoken_phone,
                    email=person.email,
                )
                status = "solved" if draw.chance(0.8) else "open"
                asked = draw.later(created, 1500)
                latest = max(latest, asked)
                rows.add(
                    support_requests,
                    (rows.next_id(support_requests), account_id, subject, text, status, asked),
                )
        closed = None
        if not known and not subscribed and _share("closed", person.email) < CLOSED_SHARE:
            closed = _between(latest, _share("closed at", person.email))
        rows.add(accounts, (*account, closed))
        for device in device_rows:
            uninstalled = None
            if not known and _share("uninstalled", device[2]) < UNINSTALLED_SHARE:
                uninstalled = _between(used[device[0]], _share("uninstalled at", device[2]))
            rows.add(devices, (*device, uninstalled))
        for payment in payment_rows:
            rows.add(payments, (*payment, closed))


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
