"""ActiveViam: prospects, customers' employees with logins and an action log, e-mail
exchanges and surveys, suppliers with bank details, invoices kept ten years.

Shape: three kinds of people, each with identities. ``employees`` (e-mail,
phone, login, user id) use the platform: employees → platform_sessions →
action_log, and employees → email_threads → emails → email_attachments,
three hops; employees ↔ dashboards is a cycle (a dashboard's owner, an
employee's default dashboard). ``prospects`` (e-mail, phone, cookie id) and
``suppliers`` (e-mail, phone, IBAN) stand alone. Invoices name their billing
contact (an employee of the customer) and are kept ten years under the
French Commercial Code: a legal hold. Free text: e-mails and survey answers,
which name colleagues and, now and then, the known person.

Retention (the example binds each of these tables to a rule): a prospect's
and an employee's ``last_contact_at`` (an employee's is the latest of their
logins, actions, e-mails and survey answers: some left their employer years
ago and went quiet), a supplier's ``contract_end`` (the day the contract
ended, NULL while it runs) and ``suppliers_archive``, where the suppliers
whose contract ended years ago were already moved. At ``REFERENCE`` some
rows of each are past their rule and some are not. What these dates need
beyond the original draws comes from a random stream of the row's own,
seeded by a value drawn for it, so every other row is what it was.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, Table, Text

from gardien.demo.company import Company, People, company_metadata, personal
from gardien.demo.people import REFERENCE, Draw, KnownPerson, Person
from gardien.demo.rows import Rows

metadata = company_metadata()

customers = Table(
    "customers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(160), nullable=False),
    Column("siren", String(9), nullable=False),
    Column("country", String(2), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

employees = Table(
    "employees",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False, index=True),
    Column("first_name", String(80), nullable=False, info=personal()),
    Column("last_name", String(80), nullable=False, info=personal()),
    Column("email", String(254), nullable=False, unique=True, index=True, info=personal()),
    Column("phone", String(20), index=True, info=personal()),
    Column("job_title", String(200), info=personal()),
    Column("login", String(64), nullable=False, unique=True, index=True, info=personal()),
    Column("password_hash", String(128), nullable=False, info=personal()),
    Column("last_login_ip", String(128), info=personal()),
    Column(
        "default_dashboard_id",
        Integer,
        ForeignKey("dashboards.id", use_alter=True),
        index=True,
        info=personal(),
    ),
    Column("created_at", DateTime, nullable=False),
    # The latest of their logins, actions, e-mails and survey answers: what the 3 years run from.
    Column("last_contact_at", DateTime, nullable=False, index=True),
)

dashboards = Table(
    "dashboards",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("owner_id", Integer, ForeignKey("employees.id"), nullable=False, index=True),
    Column("title", String(120), nullable=False),
    Column("created_at", DateTime, nullable=False),
)

platform_sessions = Table(
    "platform_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("employee_id", Integer, ForeignKey("employees.id"), nullable=False, index=True),
    Column("ip_address", String(128), info=personal()),
    Column("started_at", DateTime, nullable=False, info=personal()),
)

action_log = Table(
    "action_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("platform_sessions.id"), nullable=False, index=True),
    Column("dashboard_id", Integer, ForeignKey("dashboards.id"), index=True),
    Column("action", String(40), nullable=False, info=personal()),
    Column("target", String(120), nullable=False, info=personal()),
    Column("performed_at", DateTime, nullable=False, info=personal()),
)

email_threads = Table(
    "email_threads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("employee_id", Integer, ForeignKey("employees.id"), nullable=False, index=True),
    Column("subject", String(200), nullable=False, info=personal()),
    Column("opened_at", DateTime, nullable=False),
)

emails = Table(
    "emails",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("thread_id", Integer, ForeignKey("email_threads.id"), nullable=False, index=True),
    Column("direction", String(8), nullable=False),
    Column("body", Text, nullable=False, info=personal()),
    Column("sent_at", DateTime, nullable=False),
)

email_attachments = Table(
    "email_attachments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email_id", Integer, ForeignKey("emails.id"), nullable=False, index=True),
    Column("filename", String(200), nullable=False, info=personal()),
    Column("size_bytes", Integer, nullable=False),
)

survey_answers = Table(
    "survey_answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("employee_id", Integer, ForeignKey("employees.id"), nullable=False, index=True),
    Column("question", String(200), nullable=False),
    Column("answer", Text, nullable=False, info=personal()),
    Column("answered_at", DateTime, nullable=False),
)

prospects = Table(
    "prospects",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("first_name", String(80), nullable=False, info=personal()),
    Column("last_name", String(80), nullable=False, info=personal()),
    Column("email", String(254), nullable=False, index=True, info=personal()),
    Column("phone", String(20), index=True, info=personal()),
    Column("company", String(160), info=personal()),
    Column("job_title", String(200), info=personal()),
    Column("cookie_id", String(40), index=True, info=personal()),
    Column("source", String(30), nullable=False),
    Column("consent_at", DateTime),
    Column("last_contact_at", DateTime, nullable=False, index=True),
)

suppliers = Table(
    "suppliers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("trade_name", String(160), nullable=False, info=personal()),
    Column("contact_first_name", String(80), info=personal()),
    Column("contact_last_name", String(80), info=personal()),
    Column("email", String(254), index=True, info=personal()),
    Column("phone", String(20), index=True, info=personal()),
    Column("iban", String(64), info=personal()),
    Column("bic", String(11)),
    Column("qualifications", String(300), info=personal()),
    Column("contract_file", String(200), info=personal()),
    Column("contract_end", Date, index=True),  # the day the contract ended; NULL: it runs
)

# Suppliers whose contract has ended wait out its archive phase here (the retention
# sweep moves them, key included): the columns the example declares for ``suppliers``.
suppliers_archive = Table(
    "suppliers_archive",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("trade_name", String(160), nullable=False, info=personal()),
    Column("contact_first_name", String(80), info=personal()),
    Column("contact_last_name", String(80), info=personal()),
    Column("email", String(254), index=True, info=personal()),
    Column("phone", String(20), index=True, info=personal()),
    Column("iban", String(64), info=personal()),
    Column("qualifications", String(300), info=personal()),
    Column("contract_file", String(200), info=personal()),
    Column("contract_end", Date, index=True),
)

invoices = Table(
    "invoices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False, index=True),
    Column("number", String(20), nullable=False, unique=True),
    Column("billing_contact", String(160), nullable=False, info=personal()),
    Column("billing_email", String(254), nullable=False, index=True, info=personal()),
    Column("amount_cents", Integer, nullable=False),
    Column("issued_at", Date, nullable=False, index=True, info=personal()),
)

KNOWN = KnownPerson(
    first_name="Julien",
    last_name="Moreau",
    email="julien.moreau@finaxis.example",
    phone="+33639981655",
    description="a customer's employee with logins, an action log, dashboards, e-mail "
    "exchanges and a survey answer, the billing contact of their company's invoices, and a "
    "prospect before that",
    identities={
        "email": "julien.moreau@finaxis.example",
        "phone": "+33639981655",
        "user_id": "1",
        "username": "jmoreau",
    },
)
KNOWN_CUSTOMER = "Finaxis SA"
KNOWN_DOMAIN = "finaxis.example"

DASHBOARDS = ("P&L par desk", "Risque de marché — VaR", "Liquidity overview", "Stocks par entrepôt",
              "Sensibilités taux", "Daily PnL explain")  # fmt: skip
ACTIONS = ("open_dashboard", "run_query", "export_csv", "edit_measure", "share_view", "login")
THREADS = {
    "fr": ("Renouvellement de licence", "Incident sur le cube", "Devis formation", "Résiliation"),
    "en": ("Licence renewal", "Cube incident", "Training quote", "Termination"),
}
EMAILS = {
    "fr": (
        "Bonjour, je vous transfère la demande de {other} ({other_email}) concernant la licence. "
        "Vous pouvez me joindre au {phone}. Cordialement, {me}",
        "Bonjour {me_first}, suite à notre échange avec {other}, vous trouverez le devis ci-joint. "
        "Bien à vous, l'équipe ActiveViam",
        "Bonjour, le cube ne répond plus depuis ce matin ; {other} a relancé le serveur sans "
        "succès. Merci de me rappeler. {me}",
    ),
    "en": (
        "Hello, forwarding {other}'s request ({other_email}) about the licence. You can reach me "
        "on {phone}. Best regards, {me}",
        "Hello {me_first}, following our call with {other}, please find the quote attached. "
        "Kind regards, the ActiveViam team",
        "Hello, the cube has not answered since this morning; {other} restarted the server with "
        "no luck. Please call me back. {me}",
    ),
}
SURVEYS = {
    "fr": ("Que pouvons-nous améliorer ?",
           ("Le support est réactif, surtout {other}.", "Documentation à compléter.",
            "Très satisfait, merci à {other} pour la formation.")),
    "en": ("What could we do better?",
           ("Support is responsive, especially {other}.", "The documentation needs more examples.",
            "Very happy, thanks to {other} for the training.")),
}  # fmt: skip
QUALIFICATIONS = ("Certification Atoti", "Consultant Java senior", "ISO 27001 Lead Auditor",
                  "Expert PostgreSQL", "Formateur agréé")  # fmt: skip

#: Share of employees (never the known person) who left their employer and went quiet.
LEFT_EMPLOYER = 0.35
#: Suppliers whose contract runs (``contract_end`` NULL), then those whose contract ended in
#: the last two years (not archived yet); the rest ended two to eight years ago and were
#: moved to ``suppliers_archive`` already.
CONTRACT_RUNS = 0.45
CONTRACT_ENDED_LATELY = 0.25


def _aside(*drawn: object) -> random.Random:
    """A random stream of a row's own, seeded by values already drawn for it: the retention
    dates draw from it, so that adding them leaves the seed's stream, and so every other
    value, as it was (the known person's rows still do not depend on the seed)."""
    return random.Random("\x1f".join(str(value) for value in drawn))


def _slots(draw: Draw, person: Person) -> dict[str, str]:
    first, last = draw.name(person.lang)
    return {
        "me": person.full_name,
        "me_first": person.first_name,
        "other": draw.someone_else(person),
        "other_email": draw.email(first, last, draw.rng.randrange(10**6)),
        "phone": person.spoken_phone,
    }


def _login(person: Person) -> str:
    if person.index == 0:
        return KNOWN.identities["username"]
    return f"{person.email.partition('@')[0][:40]}"


def _invoices(rows: Rows, draw: Draw, customer_id: int, contact: Person) -> None:
    for _ in range(draw.count(4, 12.0, 40)):
        invoice_id = rows.next_id(invoices)
        rows.add(
            invoices,
            (
                invoice_id,
                customer_id,
                f"AV-{invoice_id:07d}",
                contact.full_name,
                contact.email,
                draw.rng.randrange(500_00, 90_000_00),
                draw.since(12).date(),  # the oldest are past their ten years
            ),
        )


def _left_employer(password_hash: str, created: dt.datetime) -> dt.datetime | None:
    """When an employee who left their employer went quiet (their last login, and the end
    of the e-mails sent to them), or None: they still use the platform."""
    aside = _aside("left", password_hash)
    if aside.random() >= LEFT_EMPLOYER:
        return None
    span = (REFERENCE - created).total_seconds()
    return created + dt.timedelta(seconds=max(1, int(span * (0.1 + 0.9 * aside.random()))))


def _employee(rows: Rows, draw: Draw, person: Person, customer_id: int, extra: int | None) -> None:
    known = person.index == 0
    employee_id = rows.next_id(employees)
    created = draw.since(6)
    dashboard_ids = []
    for _ in range(2 if known else draw.count(0, 1.3, 8)):
        dashboard_id = rows.next_id(dashboards)
        dashboard_ids.append(dashboard_id)
        rows.add(
            dashboards,
            (dashboard_id, employee_id, draw.choice(DASHBOARDS), draw.later(created, 300)),
        )
    ip = draw.ip_address()
    account = (
        employee_id,
        customer_id,
        person.first_name,
        person.last_name,
        person.email,
        person.phone if known or draw.chance(0.7) else None,
        draw.job(person.lang),
        _login(person),
        draw.password_hash(),
        ip,
        dashboard_ids[0] if dashboard_ids else None,
        created,
    )
    # Someone who left drew the same values as anyone, within a shorter span: their
    # sessions end when they left, e-mails to them and their survey answer too.
    left = None if known else _left_employer(str(account[8]), created)
    days = 1500.0 if left is None else min(1500.0, (left - created) / dt.timedelta(days=1))
    contacts = [created]
    many = draw.count(1, 2.5, 40)
    for number in range(max(many, 2) if known else many):
        session_id = rows.next_id(platform_sessions)
        if left is None:
            started = draw.since(2)
        else:
            started = draw.moment(max(created, left - dt.timedelta(days=730)), left)
        contacts.append(started)
        rows.add(
            platform_sessions,
            (session_id, employee_id, ip if draw.chance(0.8) else draw.ip_address(), started),
        )
        actions = extra if known and number == 0 and extra else draw.count(1, 2.5, 30)
        for _ in range(actions):
            action = draw.choice(ACTIONS)
            performed = (
                rows.next_id(action_log),
                session_id,
                draw.choice(dashboard_ids) if dashboard_ids else None,
                action,
                f"cube/{draw.choice(('pnl', 'var', 'liquidity', 'stock'))}/{action}",
                draw.later(started, 0.2),
            )
            contacts.append(performed[5])
            rows.add(action_log, performed)
    for _ in range(2 if person.index <= 2 else draw.count(0, 0.8, 6)):
        thread_id = rows.next_id(email_threads)
        opened = draw.later(created, days)
        rows.add(
            email_threads,
            (thread_id, employee_id, draw.choice(THREADS[person.lang]), opened),
        )
        for number in range(2 if known else draw.count(1, 2.0, 8)):
            email_id = rows.next_id(emails)
            inbound = number % 2 == 0
            sent = (
                email_id,
                thread_id,
                "in" if inbound else "out",
                draw.choice(EMAILS[person.lang]).format(**_slots(draw, person)),
                draw.later(opened, 30),
            )
            contacts.append(sent[4])
            rows.add(emails, sent)
            if (known and number == 0) or draw.chance(0.2):
                rows.add(
                    email_attachments,
                    (
                        rows.next_id(email_attachments),
                        email_id,
                        f"{draw.choice(('devis', 'contrat', 'capture', 'quote'))}_"
                        f"{person.last_name.lower()}_{email_id}.pdf",
                        draw.rng.randrange(20_000, 4_000_000),
                    ),
                )
    if draw.talkative(person, 0.3):
        question, answers = SURVEYS[person.lang]
        answered = (
            rows.next_id(survey_answers),
            employee_id,
            question,
            draw.choice(answers).format(other=draw.someone_else(person)),
            draw.later(created, days),
        )
        contacts.append(answered[4])
        rows.add(survey_answers, answered)
    rows.add(employees, (*account, max(contacts)))


def _prospect(rows: Rows, draw: Draw, person: Person, company: str) -> None:
    contacted = draw.since(5)  # some last contacted over three years ago: due for deletion
    rows.add(
        prospects,
        (
            rows.next_id(prospects),
            person.first_name,
            person.last_name,
            person.email,
            person.phone if draw.chance(0.6) or person.index == 0 else None,
            company,
            draw.job(person.lang),
            draw.token(32) if draw.chance(0.7) else None,
            draw.choice(("salon", "webinar", "site_web", "linkedin", "api_google")),
            contacted if draw.chance(0.8) else None,
            draw.later(contacted, 700),
        ),
    )


def _supplier(rows: Rows, draw: Draw, person: Person) -> None:
    freelance = draw.chance(0.4)
    trade = f"{person.full_name} EI" if freelance else draw.company()
    supplier_id = rows.next_id(suppliers)
    iban = draw.iban()
    bic = draw.choice(("BNPAFRPP", "SOGEFRPP", "CRLYFRPP", "AGRIFRPP", "CMCIFRPP"))
    qualification = draw.choice(QUALIFICATIONS)
    signed = draw.rng.randrange(2019, 2026)
    ended: dt.date | None = draw.later(draw.since(2), 1000).date()
    fate = _aside("contract", iban)
    chance = fate.random()
    archived = chance >= CONTRACT_RUNS + CONTRACT_ENDED_LATELY
    if chance < CONTRACT_RUNS:
        ended = None
    elif archived:
        ended = (REFERENCE - dt.timedelta(days=730 + fate.random() * 6 * 365)).date()
    if ended is not None:
        signed = min(signed, ended.year)
    row = (supplier_id, trade, person.first_name, person.last_name, person.email, person.phone,
           iban, bic, qualification, f"contrat_{person.last_name.lower()}_{signed}.pdf",
           ended)  # fmt: skip
    if archived:  # moved by an earlier sweep, key included: the declared columns (no BIC)
        rows.add(suppliers_archive, row[:7] + row[8:])
    else:
        rows.add(suppliers, row)


def generate(rows: Rows, people: People) -> None:
    draw = people.draw
    count = max(1, people.count // 20)
    names = [KNOWN_CUSTOMER] + [draw.company() for _ in range(count - 1)]
    for number, name in enumerate(names, start=1):
        rows.add(
            customers,
            (
                rows.next_id(customers),
                name,
                f"{draw.rng.randrange(10**8, 10**9)}",
                "FR" if number == 1 or draw.chance(0.8) else draw.choice(("GB", "DE", "US")),
                draw.since(8),
            ),
        )
    contacts: set[int] = set()
    for index, own in people:
        if index == 0:
            person = own.person(0)
            _prospect(rows, own, person, KNOWN_CUSTOMER)
            _employee(rows, own, person, 1, people.known_rows)
            _invoices(rows, own, 1, person)
            contacts.add(1)
            continue
        kind = (
            0.0 if index <= 2 else own.rng.random()
        )  # 1 and 2 write e-mails naming the known person
        if kind < 0.45:
            customer_id = own.rng.randint(1, count)
            domain = (
                KNOWN_DOMAIN if customer_id == 1 else own.company_domain(names[customer_id - 1])
            )
            person = own.person(index, domain)
            _employee(rows, own, person, customer_id, None)
            if customer_id not in contacts:  # the first employee met is the billing contact
                contacts.add(customer_id)
                _invoices(rows, own, customer_id, person)
        elif kind < 0.85:
            company = own.company()
            _prospect(rows, own, own.person(index, own.company_domain(company)), company)
        else:
            _supplier(rows, own, own.person(index))


COMPANY = Company(
    name="activeviam",
    title="ActiveViam",
    example="activeviam.yaml",
    datastore="activeviam_crm",
    metadata=metadata,
    known=KNOWN,
    generate=generate,
    bulk_table="action_log",
    summary="customers' employees with logins, dashboards and an action log, e-mail exchanges "
    "and surveys, prospects, suppliers with IBANs, invoices kept ten years",
)
