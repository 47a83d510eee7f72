"""What the requests room writes to people, in French and English.

Each message is a subject and a body, formatted with non-personal values
(a code, a date, the request's id, the controller's name) and, for a
rejection or an extension, the reason staff wrote for the person.
"""

from __future__ import annotations

import datetime as dt

from gardien.requests.mailing import PersonMessage

_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "code": {
        "fr": (
            "Votre code de vérification : {code}",
            "Bonjour,\n\nVous (ou quelqu'un utilisant votre adresse) avez fait une demande "
            "concernant vos données personnelles auprès de {controller} (demande {id}).\n\n"
            "Votre code de vérification : {code}\nIl est valable {minutes} minutes.\n\n"
            "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : rien ne sera "
            "fait sans ce code.\n\n{controller}\n",
        ),
        "en": (
            "Your verification code: {code}",
            "Hello,\n\nYou (or someone using your address) made a request about your personal "
            "data to {controller} (request {id}).\n\nYour verification code: {code}\nIt is "
            "valid for {minutes} minutes.\n\nIf you did not make this request, ignore this "
            "e-mail: nothing will be done without the code.\n\n{controller}\n",
        ),
    },
    "rejected": {
        "fr": (
            "Votre demande {id} a été refusée",
            "Bonjour,\n\nNous ne pouvons pas donner suite à votre demande {id}, pour la raison "
            "suivante :\n\n{reason}\n\nVous pouvez introduire une réclamation auprès de l'autorité "
            "de contrôle ({authority}) ou former un recours juridictionnel (RGPD art. 12(4)).\n\n"
            "{controller}\n",
        ),
        "en": (
            "Your request {id} was refused",
            "Hello,\n\nWe cannot act on your request {id}, for this reason:\n\n{reason}\n\n"
            "You may lodge a complaint with the supervisory authority ({authority}) or "
            "seek a judicial remedy (GDPR Art. 12(4)).\n\n{controller}\n",
        ),
    },
    "extended": {
        "fr": (
            "Votre demande {id} : délai de réponse prolongé",
            "Bonjour,\n\nNous avons besoin de plus de temps pour répondre à votre demande {id}. "
            "Nous vous répondrons au plus tard le {until}.\n\nRaison : {reason}\n\n"
            "(RGPD art. 12(3))\n\n{controller}\n",
        ),
        "en": (
            "Your request {id}: more time needed",
            "Hello,\n\nWe need more time to answer your request {id}. We will answer by "
            "{until} at the latest.\n\nWhy: {reason}\n\n(GDPR Art. 12(3))\n\n{controller}\n",
        ),
    },
    "directive_stored": {
        "fr": (
            "Vos directives post-mortem sont enregistrées",
            "Bonjour,\n\nVos directives relatives au sort de vos données après votre décès "
            "(demande {id}) sont enregistrées. Elles ne seront communiquées qu'aux personnes "
            "que vous avez désignées, après constatation du décès.\n\n{controller}\n",
        ),
        "en": (
            "Your post-mortem directives are recorded",
            "Hello,\n\nYour directives about your data after your death (request {id}) are "
            "recorded. They will be given only to the people you named, once the death is "
            "recorded.\n\n{controller}\n",
        ),
    },
    "directive": {
        "fr": (
            "Directives post-mortem vous désignant",
            "Bonjour,\n\nVous avez été désigné(e) pour recevoir les directives suivantes, "
            "relatives aux données d'une personne décédée (loi Informatique et Libertés, "
            "art. 85) :\n\n{instructions}\n\n{controller}\n",
        ),
        "en": (
            "Post-mortem directives naming you",
            "Hello,\n\nYou were named to receive the following directives about the data of "
            "a deceased person (French loi Informatique et Libertés, art. 85):\n\n"
            "{instructions}\n\n{controller}\n",
        ),
    },
}


def message(name: str, language: str, **values: object) -> PersonMessage:
    """The message ``name`` in ``language`` (French unless English), formatted."""
    subject, body = _TEXTS[name]["en" if language == "en" else "fr"]
    return PersonMessage(subject.format(**values), body.format(**values))


def day(at: dt.datetime) -> str:
    return f"{at:%Y-%m-%d}"
