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
"""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, Table, Text

from gardien.demo.company import Company, People, company_metadata, personal
from gardien.demo.people import Draw, KnownPerson, Person
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
    Column("last_contact_at", DateTime, nullable=False),
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
    Column("contract_end", Date),
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
    Column("issued_at", Date, nullable=False, info=personal()),
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
    rows.add(
        employees,
        (
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
        ),
    )
    many = draw.count(1, 2.5, 40)
    for number in range(max(many, 2) if known else many):
        session_id = rows.next_id(platform_sessions)
        started = draw.since(2)
        rows.add(
            platform_sessions,
            (session_id, employee_id, ip if draw.chance(0.8) else draw.ip_address(), started),
        )
        actions = extra if known and number == 0 and extra else draw.count(1, 2.5, 30)
        for _ in range(actions):
            action = draw.choice(ACTIONS)
            rows.add(
                action_log,
                (
                    rows.next_id(action_log),
                    session_id,
                    draw.choice(dashboard_ids) if dashboard_ids else None,
                    action,
                    f"cube/{draw.choice(('pnl', 'var', 'liquidity', 'stock'))}/{action}",
                    draw.later(started, 0.2),
                ),
            )
    for _ in range(2 if person.index <= 2 else draw.count(0, 0.8, 6)):
        thread_id = rows.next_id(email_threads)
        opened = draw.later(created, 1500)
        rows.add(
            email_threads,
            (thread_id, employee_id, draw.choice(THREADS[person.lang]), opened),
        )
        for number in range(2 if known else draw.count(1, 2.0, 8)):
            email_id = rows.next_id(emails)
            inbound = number % 2 == 0
            rows.add(
                emails,
                (
                    email_id,
                    thread_id,
                    "in" if inbound else "out",
                    draw.choice(EMAILS[person.lang]).format(**_slots(draw, person)),
                    draw.later(opened, 30),
                ),
            )
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
        rows.add(
            survey_answers,
            (
                rows.next_id(survey_answers),
                employee_id,
                question,
                draw.choice(answers).format(other=draw.someone_else(person)),
                draw.later(created, 1500),
            ),
        )


def _prospect(rows: Rows, draw: Draw, person: Person, company: str) -> None:
    contacted = draw.since(3)
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
    rows.add(
        suppliers,
        (
            rows.next_id(suppliers),
            trade,
            person.first_name,
            person.last_name,
            person.email,
            person.phone,
            draw.iban(),
            draw.choice(("BNPAFRPP", "SOGEFRPP", "CRLYFRPP", "AGRIFRPP", "CMCIFRPP")),
            draw.choice(QUALIFICATIONS),
            f"contrat_{person.last_name.lower()}_{draw.rng.randrange(2019, 2026)}.pdf",
            draw.later(draw.since(2), 1000).date(),
        ),
    )


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
