"""Komin (KIO SOFTWARE): accounts with LinkedIn URLs and workspaces, subscriptions, invoices
and payments, e-mail notification preferences and what was sent, cookie ids, support requests.

Shape: ``accounts`` is the identity table (e-mail, phone, user id) and
``cookies`` holds cookie ids (``cookie_id``), some of visitors without an
account. The chain accounts → subscriptions → invoices → payments is three
hops; accounts ↔ workspaces is a cycle (a workspace's owner, an account's
current workspace). Invoices and payments are accounting records kept ten
years (legal holds) with the billing and card-holder names they carry. Free
text: support requests, which name colleagues and, now and then, the known
person.

Retention (the example binds its rules to these tables): an account records
when its holder unsubscribed (``closed_at``, NULL while registered; about one
in ten is closed and waits for the sweep), ``accounts_archive`` is where the
policy's "archival form" keeps closed accounts (the declared columns of
``accounts``, no foreign key: what it pointed at is gone), and cookies run
from ``deposited_at``, some deposited over 13 months ago and not yet
destroyed. These values come from a random stream of their own, seeded from
the build's without drawing from it: every other row is what it was before
they were added. The known person's account is open and their cookies recent.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Table, Text

from gardien.demo.company import Company, People, company_metadata, personal
from gardien.demo.people import REFERENCE, Draw, KnownPerson, Person, ascii_slug
from gardien.demo.rows import Rows

metadata = company_metadata()

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("first_name", String(80), nullable=False, info=personal()),
    Column("last_name", String(80), nullable=False, info=personal()),
    Column("email", String(254), nullable=False, unique=True, index=True, info=personal()),
    Column("phone", String(20), index=True, info=personal()),
    Column("linkedin_url", String(200), info=personal()),
    Column("password_hash", String(128), nullable=False, info=personal()),
    Column(
        "workspace_id",
        Integer,
        ForeignKey("workspaces.id", use_alter=True),
        index=True,
        info=personal(),
    ),
    Column("created_at", DateTime, nullable=False),
    Column("last_login_at", DateTime),
    # When the holder unsubscribed; NULL: still registered. The `account` rule runs until then.
    Column("closed_at", DateTime, index=True),
)

# Closed accounts in "archival form" (the `account` rule's archive phase): the declared
# columns of `accounts`, rows copied there by the retention sweep, purged five years after
# `closed_at`. No foreign key: the workspace an archived account pointed at is deleted.
accounts_archive = Table(
    "accounts_archive",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("first_name", String(80), nullable=False, info=personal()),
    Column("last_name", String(80), nullable=False, info=personal()),
    Column("email", String(254), nullable=False, index=True, info=personal()),
    Column("phone", String(20), index=True, info=personal()),
    Column("linkedin_url", String(200), info=personal()),
    Column("password_hash", String(128), nullable=False, info=personal()),
    Column("workspace_id", Integer, info=personal()),
    Column("closed_at", DateTime, nullable=False, index=True),
)

workspaces = Table(
    "workspaces",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("owner_id", Integer, ForeignKey("accounts.id"), nullable=False, index=True),
    Column("title", String(120), nullable=False),
    Column("created_at", DateTime, nullable=False),
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

invoices = Table(
    "invoices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subscription_id", Integer, ForeignKey("subscriptions.id"), index=True),
    Column("number", String(20), nullable=False, unique=True),
    Column("billing_name", String(160), nullable=False, info=personal()),
    Column("billing_email", String(254), nullable=False, index=True, info=personal()),
    Column("billing_address", String(300), nullable=False, info=personal()),
    Column("total_cents", Integer, nullable=False, info=personal()),
    Column("issued_at", DateTime, nullable=False, info=personal()),
)

payments = Table(
    "payments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("invoice_id", Integer, ForeignKey("invoices.id"), nullable=False, index=True),
    Column("amount_cents", Integer, nullable=False, info=personal()),
    Column("card_holder", String(160), info=personal()),
    Column("card_last4", String(4), info=personal()),
    Column("card_expiry", String(5), info=personal()),
    Column("mobile_carrier", String(40), info=personal()),
    Column("phone_model", String(60), info=personal()),
    Column("paid_at", DateTime, nullable=False, info=personal()),
)

notification_preferences = Table(
    "notification_preferences",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False, index=True),
    Column("kind", String(30), nullable=False),
    Column("address", String(254), nullable=False, index=True, info=personal()),
    Column("enabled", Boolean, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

notifications_sent = Table(
    "notifications_sent",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "preference_id",
        Integer,
        ForeignKey("notification_preferences.id"),
        nullable=False,
        index=True,
    ),
    Column("sent_to", String(254), nullable=False, index=True, info=personal()),
    Column("subject", String(200), nullable=False),
    Column("sent_at", DateTime, nullable=False),
)

cookies = Table(
    "cookies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), index=True),
    Column("cookie_id", String(40), nullable=False, unique=True, index=True, info=personal()),
    Column("kind", String(40), nullable=False),
    Column("deposited_at", DateTime, nullable=False, index=True, info=personal()),
    Column("expires_at", DateTime, nullable=False),
)

support_requests = Table(
    "support_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False, index=True),
    Column("subject", String(200), nullable=False, info=personal()),
    Column("message", Text, nullable=False, info=personal()),
    Column("created_at", DateTime, nullable=False),
)

KNOWN = KnownPerson(
    first_name="Claire",
    last_name="Dubois",
    email="claire.dubois@example.org",
    phone="+33639981763",
    description="an account with a LinkedIn URL and a workspace, a subscription with invoices "
    "and card payments, notification preferences and the e-mails sent, cookies, support "
    "requests",
    identities={
        "email": "claire.dubois@example.org",
        "phone": "+33639981763",
        "user_id": "1",
        "cookie_id": "kmn_5c1e8f0a2b7d4c9e8a1f3b6d0e2c4a7f",
    },
)

PLANS = ("starter_monthly", "pro_monthly", "pro_yearly", "business_yearly")
PRICES = {
    "starter_monthly": 1900,
    "pro_monthly": 4900,
    "pro_yearly": 49000,
    "business_yearly": 99000,
}
KINDS = ("account_activity", "procedure_comments", "product_news", "promotions")
SUBJECTS = {
    "account_activity": "Nouvelle connexion à votre compte Komin",
    "procedure_comments": "Un collègue a commenté votre procédure",
    "product_news": "Les nouveautés Komin du mois",
    "promotions": "-20 % sur le plan Business",
}
CARRIERS = ("Orange", "SFR", "Bouygues Telecom", "Free Mobile")
PHONES = ("iPhone 14", "iPhone 15 Pro", "Galaxy S23", "Pixel 8", "Redmi Note 12")
COOKIES = ("komin_session", "komin_site", "social_share")
#: "cookies … are destroyed 13 months after they are deposited": a cookie's life, in months.
COOKIE_MONTHS = 13
#: Share of (other) people whose account is closed, waiting for the retention sweep.
CLOSED_SHARE = 0.1
#: Older cookies still on record were deposited one to two years before REFERENCE.
YEAR = dt.timedelta(days=366)
REQUESTS = {
    "fr": (
        ("Accès à l'espace", "Bonjour, {other} n'arrive pas à accéder à notre espace de travail "
         "depuis hier. Pouvez-vous regarder ? {me} — {phone}"),
        ("Facturation", "Bonjour, merci d'adresser désormais les factures à {other}, notre "
         "comptable ({other_email}). Cordialement, {me}"),
        ("Export PDF", "L'export PDF de la procédure « Nettoyage ligne 3 » coupe les images. {me}"),
    ),
    "en": (
        ("Workspace access", "Hello, {other} cannot reach our workspace since yesterday. Could "
         "you have a look? {me} — {phone}"),
        ("Billing", "Hello, please send the invoices to {other}, our accountant "
         "({other_email}), from now on. Regards, {me}"),
        ("PDF export", "The PDF export of the \"Line 3 cleaning\" procedure cuts the images. {me}"),
    ),
}  # fmt: skip


def _billing(rows: Rows, draw: Draw, person: Person, account_id: int, created: dt.datetime) -> None:
    subscription_id = rows.next_id(subscriptions)
    plan = draw.choice(PLANS)
    started = draw.later(created, 90)
    rows.add(
        subscriptions,
        (
            subscription_id,
            account_id,
            plan,
            "active" if person.index == 0 or draw.chance(0.75) else "cancelled",
            started,
        ),
    )
    address = draw.address()
    issued = started
    for _ in range(draw.count(2, 3.0, 24) if person.index == 0 else draw.count(1, 2.5, 24)):
        invoice_id = rows.next_id(invoices)
        rows.add(
            invoices,
            (
                invoice_id,
                subscription_id,
                f"KMN-{invoice_id:08d}",
                person.full_name,
                person.email,
                address,
                PRICES[plan],
                issued,
            ),
        )
        mobile = draw.chance(0.2)
        rows.add(
            payments,
            (
                rows.next_id(payments),
                invoice_id,
                PRICES[plan],
                person.full_name.upper(),
                f"{draw.rng.randrange(10_000):04d}",
                f"{draw.rng.randint(1, 12):02d}/{draw.rng.randint(26, 31)}",
                draw.choice(CARRIERS) if mobile else None,
                draw.choice(PHONES) if mobile else None,
                draw.later(issued, 3),
            ),
        )
        issued = draw.later(issued, 31 if plan.endswith("monthly") else 366)


def _notifications(
    rows: Rows, draw: Draw, person: Person, account_id: int, extra: int | None
) -> None:
    known = person.index == 0
    chosen = KINDS if known else sorted({draw.choice(KINDS) for _ in range(draw.count(1, 2.0, 4))})
    for number, kind in enumerate(chosen):
        preference_id = rows.next_id(notification_preferences)
        address = person.email
        enabled = kind != "promotions" or draw.chance(0.4)
        rows.add(
            notification_preferences,
            (preference_id, account_id, kind, address, enabled, draw.since(3)),
        )
        sent = extra if known and number == 0 and extra else draw.count(0, 1.0, 30)
        if not enabled:
            continue
        for _ in range(max(sent, 1) if known else sent):
            rows.add(
                notifications_sent,
                (
                    rows.next_id(notifications_sent),
                    preference_id,
                    address,
                    SUBJECTS[kind],
                    draw.since(2),
                ),
            )


def _cookie(
    rows: Rows,
    draw: Draw,
    account_id: int | None,
    cookie_id: str | None = None,
    deposited: dt.datetime | None = None,
) -> None:
    if deposited is None:
        deposited = draw.since(1)
    rows.add(
        cookies,
        (
            rows.next_id(cookies),
            account_id,
            cookie_id or f"kmn_{draw.token(32)}",
            draw.choice(COOKIES),
            deposited,
            _months_after(deposited, COOKIE_MONTHS),
        ),
    )


def _months_after(start: dt.datetime, months: int) -> dt.datetime:
    """``start`` plus ``months`` by the calendar, the day clamped to the month's last (a
    cookie deposited on 31 January 2024 expires on 28 February 2025, never later)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return start.replace(year=year, month=month + 1, day=min(start.day, last))


def _retention_draw(people: People) -> Draw:
    """The draw of the values added for retention (when an account was closed, cookies older
    than a year): a stream of its own, seeded from the build's stream without drawing from
    it, so that every value drawn before they were added is unchanged."""
    words = people.draw.rng.getstate()[1][:8]
    stream = random.Random("komin-retention:" + ",".join(str(word) for word in words))
    return Draw(people.draw.vocabulary, stream, people.draw.known)


def _closed_at(kept: Draw, last_login: dt.datetime) -> dt.datetime | None:
    """When the holder unsubscribed, after their last login (one in ten), or None."""
    return kept.later(last_login, 90) if kept.chance(CLOSED_SHARE) else None


def _older_cookies(rows: Rows, kept: Draw, account_id: int) -> None:
    """Cookies deposited one to two years ago and still on record, the person's (one in four)
    and a visitor's (one in five): past 13 months, the retention sweep destroys them."""
    for owner, share in ((account_id, 0.25), (None, 0.2)):
        if kept.chance(share):
            deposited = kept.moment(REFERENCE - dt.timedelta(days=730), REFERENCE - YEAR)
            _cookie(rows, kept, owner, deposited=deposited)


def generate(rows: Rows, people: People) -> None:
    kept = _retention_draw(people)
    for index, draw in people:
        known = index == 0
        person = draw.person(index)
        account_id = rows.next_id(accounts)
        workspace_id = rows.next_id(workspaces)
        created = draw.since(5)
        rows.add(
            workspaces,
            (workspace_id, account_id, f"Procédures {draw.company()}", draw.later(created, 1)),
        )
        slug = f"{ascii_slug(person.first_name)}-{ascii_slug(person.last_name)}"
        rows.add(
            accounts,
            (
                account_id,
                person.first_name,
                person.last_name,
                person.email,
                person.phone if known or draw.chance(0.7) else None,
                f"https://www.linkedin.com/in/{slug}-{draw.token(8)}"
                if known or draw.chance(0.6)
                else None,
                draw.password_hash(),
                workspace_id,
                created,
                last_login := draw.later(created, 1500),
                None if known else _closed_at(kept, last_login),
            ),
        )
        if known or draw.chance(0.5):
            _billing(rows, draw, person, account_id, created)
        _notifications(rows, draw, person, account_id, people.known_rows)
        if known:
            _cookie(rows, draw, account_id, KNOWN.identities["cookie_id"])
        for _ in range(1 if known else draw.count(0, 1.2, 6)):
            _cookie(rows, draw, account_id)
        if draw.chance(0.5):  # a visitor without an account
            _cookie(rows, draw, None)
        if not known:
            _older_cookies(rows, kept, account_id)
        if draw.talkative(person, 0.2):
            for _ in range(2 if known else draw.count(1, 1.3, 5)):
                subject, message = draw.choice(REQUESTS[person.lang])
                first, last = draw.name(person.lang)
                rows.add(
                    support_requests,
                    (
                        rows.next_id(support_requests),
                        account_id,
                        subject,
                        message.format(
                            me=person.full_name,
                            other=draw.someone_else(person),
                            other_email=draw.email(first, last, draw.rng.randrange(10**6)),
                            phone=person.spoken_phone,
                        ),
                        draw.later(created, 1500),
                    ),
                )


COMPANY = Company(
    name="komin",
    title="Komin (KIO SOFTWARE)",
    example="komin.yaml",
    datastore="komin_site",
    metadata=metadata,
    known=KNOWN,
    generate=generate,
    bulk_table="notifications_sent",
    summary="accounts with LinkedIn URLs and workspaces, subscriptions, invoices and card "
    "payments, e-mail notification preferences and what was sent, cookie ids, support requests",
)
