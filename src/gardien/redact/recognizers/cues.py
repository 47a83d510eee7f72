"""Places, organisations and people recognised by the words that introduce them.

"j'habite à Quimper", "né le 3 mars 1990 à Ajaccio", "je vis en Espagne",
"travaille chez Leroy", "l'équipe de Dupuis"; "lives in Leeds", "our Austin
office", "works at Baxter"; "le livreur Kevin", "the technician Dana Ray".
Statistical NER often finds the name but with the wrong type (a town named
after a surname looks like a person, a person after "the manager" like an
organisation); these cues score just above NER, so in an overlap their label
wins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gardien.redact.not_names import all_everyday, is_jargon, is_team_name
from gardien.redact.recognizers.base import Pattern, PatternRecognizer
from gardien.redact.recognizers.titled_person import TITLES
from gardien.redact.span import LOCATION, ORGANIZATION, PERSON, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

_CAP = r"[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ][\w'’\-]*"
_LINK = r"(?:de|du|des|la|le|les|sur|en|lès|aux?|d'|l'|d’|l’)"
# A capitalised name of up to four words, with French linking words inside.
_NAME = rf"(?P<v>{_CAP}(?:[ \-](?:{_LINK}[ \-])*{_CAP}){{0,3}})"
# Company names may also be lists: "Silva, Callahan and Lindsey", "Dupont et Fils".
# Never a civility title: "travaillait pour M. Caine" names a person.
_ORG_NAME = (
    r"(?!(?:M|MM|Mme|Mlle|Me|Dr|Pr|Mr|Mrs|Ms)\.?\s)"
    rf"(?P<v>{_CAP}(?:(?:,\s|\s(?:and|et|&)\s|[ \-]){_CAP}){{0,4}})"
)
# Up to 30 characters between a verb and its preposition ("né le 03.05.1990 à"),
# not crossing a sentence end; a dot inside a number is allowed.
_GAP = r"(?:[^;:!?\n.]|\.(?=\d)){0,30}?\s"
# A person's name: one to three capitalised words, no linking words.
# An initial may stand between first name and surname: "Vanessa P. Hertzog".
_PERSON = rf"(?P<v>{_CAP}(?:[ \-](?:[A-Z]\.[ ])?{_CAP}){{0,2}})"
# The end of a date ("le 3 mars 2020", "on 05/06/2021"), before "à"/"in" + a place.
_DATE_END = (
    r"(?:\b\d{4}|\b(?i:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre"
    r"|novembre|décembre|January|February|March|April|May|June|July|August|September"
    r"|October|November|December)|\b\d{1,2}(?:st|nd|rd|th|er)?)"
)
_SCORE = 0.88
_MONTHS_AND_DAYS = (
    r"(?i:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre"
    r"|décembre|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b"
)
# Capitalised words after "in" that are not places.
_NOT_PLACES = (
    r"January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|English|French"
    r"|German|Spanish|Italian|Dutch|Portuguese|Arabic|Chinese|Japanese|Q[1-4]|I|Excel|Word"
    r"|PDF|CSV|Chrome|Firefox|Safari|Outlook|Gmail|Teams|Slack|Zoom|Google|Settings|Total"
    r"|Stock|Progress|Transit|General|Particular|Addition|Fact|Short|Summary|Conclusion"
    r"|Person|Advance|Time|Case|Order|Part|Full|Writing|Charge|Line|Touch|Mind|Response"
)
_FR = frozenset({"fr"})
_EN = frozenset({"en"})


class LocationCueRecognizer(PatternRecognizer):
    """A capitalised name after a verb or noun of place and its preposition."""

    name = "location_cue"
    LABEL = LOCATION
    PATTERNS = (
        Pattern(
            "fr-verb-a",
            r"(?i:\b(?:habite|habitons|habitent|vis|vit|vivons|vivent|née?s?|situé|située|basée?"
            r"|installée?s?|déménagé|déménagée|déménagés|domiciliée?|résidant|résidante|siège"
            r"|agence|bureaux?|locaux|maternité|ville|commune|originaire|venu|venue|arrivée?"
            r"|délivrée?s?|établie?s?|émise?s?))" + _GAP + r"(?:à|au|en|de|d'|d’)\s*" + _NAME,
            _SCORE,
            languages=_FR,
            needs=(
                "habit",
                "vis",
                "vit",
                "viv",
                "né",
                "situé",
                "basé",
                "installé",
                "déménagé",
                "domicilié",
                "résidant",
                "siège",
                "agence",
                "bureau",
                "locaux",
                "maternité",
                "ville",
                "commune",
                "originaire",
                "venu",
                "arrivé",
                "délivré",
                "établi",
                "émis",
            ),
            trigger=r"\s(?:à|au|en|de|d'|d’)\s*[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ]",
        ),
        # Weaker than NER: "en Bretagne" is a place, but the model's "en NBA"
        # organisation stands (French Wikipedia showed leagues turned into places).
        Pattern(
            "fr-en",
            r"(?<![\w'’])en\s+" + _NAME,
            0.6,
            languages=_FR,
            needs=("en",),
            trigger=r"en\s+[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ]",
        ),
        # "Siège Paris", "Siège social : Nantes", "Site de Lyon", "l'agence de Rennes".
        Pattern(
            "fr-site",
            r"(?i:\b(?:siège(?:\s+social)?|sites?|usine|campus|bureau|antenne))\s*(?::\s*|de\s+|d'|d’)?"
            r"(?=[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ])" + _NAME + r"(?=\s*(?:[,:;()\n]|$))",
            _SCORE,
            languages=_FR,
            needs=("siège", "site", "usine", "campus", "bureau", "antenne"),
        ),
        # "le 3 mars 2020 à Ajaccio", not "de mars à mai 2024" (a month is no place).
        Pattern(
            "fr-date-a",
            _DATE_END + r",?\s+à\s+(?!" + _MONTHS_AND_DAYS + r")" + _NAME,
            _SCORE,
            languages=_FR,
            needs=("à",),
            trigger=r"\sà\s+[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ]",
        ),
        Pattern(
            "en-date-in",
            _DATE_END + r",?\s+in\s+(?!(?:" + _NOT_PLACES + r")\b)" + _NAME,
            _SCORE,
            languages=_EN,
            needs=("in",),
            trigger=r"\sin\s+[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ]",
        ),
        Pattern(
            "fr-shop-of",
            r"(?i:\b(?:magasin|boutique|usine|entrepôt|succursale|antenne))\s+(?:de|d'|d’|à)\s*"
            + _NAME,
            _SCORE,
            languages=_FR,
            needs=("magasin", "boutique", "usine", "entrepôt", "succursale", "antenne"),
        ),
        Pattern(
            "fr-from-to",
            r"(?i:\b(?:déménagée?s?|partie?s?|venue?s?|arrivée?s?|mutée?s?))\s+de\s+"
            rf"{_CAP}(?:[ \-]{_CAP}){{0,3}}\s+(?:à|en|au)\s+" + _NAME,
            _SCORE,
            languages=_FR,
            needs=("déménagé", "parti", "venu", "arrivé", "muté"),
        ),
        Pattern(
            "en-verb-in",
            r"(?i:\b(?:live|lives|lived|living|born|based|located|moved|move|moving|relocated"
            r"|reside|resides|resided|stay|staying|office|offices|branch|headquartered|came|come"
            r"|store|shop|agency|warehouse|factory|plant|headquarters"
            r"|comes|travelled|traveled|flew|drove|issued))"
            + _GAP
            + r"(?:in|to|near|from)\s+"
            + _NAME,
            _SCORE,
            languages=_EN,
            needs=(
                "live",
                "living",
                "born",
                "based",
                "located",
                "moved",
                "moving",
                "relocated",
                "reside",
                "stay",
                "office",
                "branch",
                "headquartered",
                "came",
                "come",
                "store",
                "shop",
                "agency",
                "warehouse",
                "factory",
                "plant",
                "travelled",
                "flew",
                "drove",
                "issued",
            ),
            trigger=r"\s(?:in|to|near|from)\s+[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ]",
        ),
        # Any capitalised name after "in" that is not a month, a day or a
        # language; weaker than NER, so it only fills in where NER found nothing.
        Pattern(
            "en-in",
            r"\bin\s+(?!(?:" + _NOT_PLACES + r")\b)" + _NAME,
            0.6,
            languages=_EN,
            needs=("in",),
            trigger=r"in\s+[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ]",
        ),
        Pattern(
            "en-from-to",
            rf"(?i:\bfrom)\s+{_CAP}(?:[ \-]{_CAP}){{0,3}}\s+(?i:to)\s+" + _NAME,
            _SCORE,
            languages=_EN,
            needs=("from",),
        ),
        Pattern(
            "en-our-site",
            r"(?i:\bour)\s+" + _NAME + r"\s+(?i:office|branch|store|shop|agency|site|warehouse)",
            _SCORE,
            languages=_EN,
            needs=("our",),
        ),
        Pattern(
            "field",
            r"(?i:\b(?:ville|commune|pays|lieu\s+de\s+naissance|city|town|country"
            r"|place\s+of\s+birth))\s*:\s*" + _NAME,
            _SCORE,
            needs=("ville", "commune", "pays", "lieu", "city", "town", "country", "place"),
        ),
    )
    VALID_SCORE = None
    VALIDATION = "not a word of the trade"

    def validate_result(self, value: str) -> bool | None:
        # "moved to DevOps", "passer en DevOps": a practice, not a place.
        return False if all(is_jargon(w) for w in value.split()) else None


class OrganizationCueRecognizer(PatternRecognizer):
    """A capitalised name after a word that introduces an employer or a company."""

    name = "organization_cue"
    LABEL = ORGANIZATION
    PATTERNS = (
        Pattern(
            "fr-works-at",
            r"(?i:\b(?:travaille|travaillé|travaillait|travaillons|employée?|salariée?"
            r"|conseill(?:er|ère)|stagiaire|directeur|directrice|responsable|commerciale?"
            r"|cliente?)\s+(?:chez|pour))\s+" + _ORG_NAME,
            _SCORE,
            languages=_FR,
            needs=(
                "travaille",
                "employé",
                "salarié",
                "conseiller",
                "stagiaire",
                "directeur",
                "responsable",
                "commercial",
                "client",
            ),
            trigger=r"\s(?i:chez|pour)\s+[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ]",
        ),
        Pattern(
            "fr-company-of",
            r"(?i:\b(?:l'équipe|l’équipe|la société|l'entreprise|l’entreprise|entreprise|société"
            r"|le groupe|la marque|la banque|l'enseigne|l’enseigne|la facture)\s+(?:de\s+|d'|d’)?)"
            + _ORG_NAME,
            _SCORE,
            languages=_FR,
            needs=(
                "équipe",
                "société",
                "entreprise",
                "groupe",
                "marque",
                "banque",
                "enseigne",
                "facture",
            ),
        ),
        Pattern(
            "en-works-at",
            r"(?i:\b(?:work|works|worked|working|employed|employee|adviser|advisor|agent|manager"
            r"|engineer|intern|customer|client|team|staff)\s+(?:at|for|with))\s+" + _ORG_NAME,
            _SCORE,
            languages=_EN,
            needs=(
                "work",
                "employed",
                "adviser",
                "agent",
                "manager",
                "engineer",
                "intern",
                "customer",
                "client",
                "team",
                "staff",
            ),
            trigger=r"\s(?i:at|for|with)\s+[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ]",
        ),
        Pattern(
            "field",
            r"(?i:\b(?:société|entreprise|employeur|raison\s+sociale|company|employer"
            r"|organi[sz]ation))\s*:\s*" + _ORG_NAME,
            _SCORE,
            needs=("société", "entreprise", "employeur", "raison", "company", "organisation"),
        ),
        # "- Wavestone (Mme Laure Bertholom)", "Acme Corp (contact: Mr. Roy)":
        # lists of suppliers and partners name a company, then its contact in
        # brackets. Weaker than NER: a place there ("Lyon (Mme Rousseau)")
        # stays a place where the model found it.
        Pattern(
            "contact-in-brackets",
            rf"(?m:^|[:;]|,)[ \t]*(?:[-*•✓][ \t]*)?{_ORG_NAME}[ \t]*\([ \t]*"
            r"(?i:(?:représentant|représentée?\s+par|contact|chez|interlocut(?:eur|rice)"
            r"|representative|rep)\s*:?\s*)?"
            r"(?:M|MM|Mme|Mlle|Me|Dr|Pr|Mr|Mrs|Ms|Maître|Madame|Monsieur)\.?\s+" + _CAP,
            0.6,
            trigger=r"\(",
        ),
        Pattern(
            "en-company",
            r"(?i:\b(?:company|firm|bank|brand|supplier|vendor|provider|retailer"
            r"|invoice from|receipt from|bill from|charged by))\s+" + _ORG_NAME,
            _SCORE,
            languages=_EN,
            needs=(
                "company",
                "firm",
                "bank",
                "brand",
                "supplier",
                "vendor",
                "provider",
                "retailer",
                "invoice",
                "receipt",
                "bill",
                "charged",
            ),
        ),
    )
    VALID_SCORE = None

    def analyze(self, text: str, lang: str, doc: Doc | None = None) -> list[Span]:
        # Minutes and reports head a line with a team, a section or a comment
        # and its people in brackets ("Opérations (M. Benoit)", "Commentaire
        # (Mme Duchemin):", "DÉCISION COMITÉ (M. Moreau)"): one word of the
        # language (French documents write English ones too), or a heading in
        # capitals, not a company. Several capitalised words of the language
        # are a company's name as often ("Brumaire Conseil"): kept.
        # A team named by one word of the language right after "l'équipe"
        # ("l'équipe Cloud", "l'équipe Support") is a team, not a company;
        # "l'équipe de Dupuis" still names one.
        return [
            s
            for s in super().analyze(text, lang, doc)
            if not (
                s.explanation.pattern == "contact-in-brackets"
                and (len(s.text.split()) == 1 or s.text.isupper())
                and all_everyday(s.text, (lang, "en"))
            )
            and not (
                s.explanation.pattern == "fr-company-of"
                and is_team_name(text, s.start, s.end, lang)
            )
        ]


_PLURAL_ROLES_FR = (
    r"(?:voisins|voisines|collègues|amis|amies|enfants|filles|fils|parents|clients|clientes"
    r"|techniciens|conseillers|conseillères|interlocuteurs|frères|sœurs|soeurs)"
)
_PLURAL_ROLES_EN = (
    r"(?:neighbou?rs|colleagues|friends|children|kids|daughters|sons|parents|customers"
    r"|clients|technicians|advisers|advisors|agents|brothers|sisters|coworkers|co-workers)"
)

# The same as words, for the patterns' pre-filter (``Pattern.needs``).
_PLURAL_ROLE_WORDS_FR = (
    "voisins", "collègues", "amis", "enfants", "filles", "fils", "parents", "clients",
    "techniciens", "conseillers", "interlocuteurs", "frères", "sœurs", "soeurs",
)  # fmt: skip
_PLURAL_ROLE_WORDS_EN = (
    "neighbours", "colleagues", "friends", "children", "kids", "daughters", "sons", "parents",
    "customers", "clients", "technicians", "advisers", "advisors", "agents", "brothers",
    "sisters", "coworkers", "co",  # "co-workers"
)  # fmt: skip

# Words a greeting, a signature or a role cue is often followed by that name
# a group, a function or a formula, never a person.
_ADDRESSEES = frozenset(
    {
        "support", "team", "all", "sir", "sirs", "madam", "madame", "monsieur", "messieurs",
        "mesdames", "everyone", "everybody", "there", "customer", "customers", "service",
        "colleagues", "friends", "folks", "guys", "admin", "sales", "billing", "accounting",
        "hr", "it", "tous", "toutes", "équipe", "collègues", "amis", "chers", "chères",
        "cher", "chère", "client", "cliente", "clients", "direction", "comptabilité", "accueil",
    }
)  # fmt: skip


_TITLE_WORDS = frozenset(t.rstrip(".") for titles in TITLES.values() for t in titles)


class PersonCueRecognizer(PatternRecognizer):
    """A capitalised name right after a role or relation: "le livreur Kevin",
    "ma voisine, Sophie Martin", "the technician Dana Ray", "thanks to Ann"."""

    name = "person_cue"
    LABEL = PERSON
    PATTERNS = (
        Pattern(
            "fr-role",
            r"(?i:\b(?:(?:le|la|mon|ma|notre|votre|un|une|du|de la)\s+)"
            r"(?:technicien(?:ne)?|conseill(?:er|ère)|responsable|livreur|livreuse|vendeu(?:r|se)"
            r"|directeur|directrice|gérante?|manager|agent|opérat(?:eur|rice)|collègue|voisine?"
            r"|ami|amie|mari|femme|fils|fille|mère|père|frère|sœur|médecin|infirmi(?:er|ère)"
            r"|avocate?|client|cliente|chauffeur|interlocut(?:eur|rice)))"
            r",?\s+" + _PERSON,
            _SCORE,
            languages=_FR,
            needs=(
                "technicien",
                "conseiller",
                "responsable",
                "livreur",
                "vendeur",
                "directeur",
                "gérant",
                "manager",
                "agent",
                "opérateur",
                "collègue",
                "voisin",
                "ami",
                "mari",
                "femme",
                "fils",
                "fille",
                "mère",
                "père",
                "frère",
                "sœur",
                "médecin",
                "infirmier",
                "avocat",
                "client",
                "chauffeur",
                "interlocuteur",
            ),
        ),
        Pattern(
            "fr-two-of",
            r"(?i:\b(?:mes|nos|vos|les|deux)\s+"
            + _PLURAL_ROLES_FR
            + r")\s+"
            + _PERSON
            + r"(?=\s+et\s)",
            _SCORE,
            languages=_FR,
            needs=_PLURAL_ROLE_WORDS_FR,
        ),
        Pattern(
            "fr-two-of-second",
            r"(?i:\b(?:mes|nos|vos|les|deux)\s+" + _PLURAL_ROLES_FR + r")\s+"
            rf"{_CAP}(?:[ \-]{_CAP}){{0,2}}\s+et\s+" + _PERSON,
            _SCORE,
            languages=_FR,
            needs=_PLURAL_ROLE_WORDS_FR,
        ),
        Pattern(
            "fr-self",
            r"(?i:\b(?:je\s+m'appelle|je\s+m’appelle|moi\s+c'est|moi\s+c’est|je\s+suis))\s+"
            + _PERSON
            + r"(?=\s*(?:[,.;!]|$))",
            _SCORE,
            languages=_FR,
            needs=("je", "moi"),
        ),
        Pattern(
            "fr-from-team",
            _PERSON + r"\s+(?i:du\s+service|de\s+la\s+comptabilité|de\s+l'accueil"
            r"|de\s+l’accueil|du\s+support|de\s+l'équipe|de\s+l’équipe)\b",
            _SCORE,
            languages=_FR,
            needs=("service", "comptabilité", "accueil", "support", "équipe"),
        ),
        Pattern(
            "fr-greeting",
            r"(?i:\b(?:bonjour|bonsoir|salut|coucou|cher|chère))\s+" + _PERSON + r"(?=\s*[,!])",
            _SCORE,
            languages=_FR,
            needs=("bonjour", "bonsoir", "salut", "coucou", "cher", "chère"),
        ),
        Pattern(
            "fr-signature",
            r"(?i:\b(?:cordialement|bien\s+à\s+vous|bien\s+cordialement|sincères\s+salutations"
            r"|salutations|à\s+bientôt|merci\s+d'avance|merci\s+d’avance)),?\s+" + _PERSON,
            _SCORE,
            languages=_FR,
            needs=("cordialement", "bien", "sincères", "salutations", "bientôt", "merci"),
        ),
        Pattern(
            "fr-customer",
            r"(?i:\b(?:client|cliente|patient|patiente|candidat|candidate|abonné|abonnée))\s+"
            + _PERSON,
            _SCORE,
            languages=_FR,
            needs=("client", "patient", "candidat", "abonné"),
        ),
        Pattern(
            "fr-field",
            r"(?i:\b(?:nom|prénom|nom\s+de\s+famille|nom\s+complet|titulaire|interlocut(?:eur|rice)"
            r"|demandeur|demandeuse))\s*:\s*" + _PERSON,
            _SCORE,
            languages=_FR,
            needs=("nom", "prénom", "titulaire", "interlocuteur", "demandeur"),
        ),
        Pattern(
            "fr-by",
            r"(?i:\b(?:ouvert|envoyé|signé|rédigé|écrit|validé|créé|traité|demandé|transmis"
            r"|signalé|déclaré|saisi)e?s?\s+par)\s+" + _PERSON,
            _SCORE,
            languages=_FR,
            needs=("par",),
        ),
        # Weaker than NER: only fills in where the model found nothing, since
        # one also calls or writes to companies.
        Pattern(
            "fr-contact",
            r"(?i:\b(?:appelé|rappelé|contacté|parlé\s+(?:à|avec)|écrit\s+à|eu))\s+" + _PERSON,
            0.6,
            languages=_FR,
            needs=("appelé", "rappelé", "contacté", "parlé", "écrit", "eu"),
        ),
        Pattern(
            "fr-thanks",
            r"(?i:\b(?:merci\s+à|remercie|remercions|remercier|bravo\s+à))\s+" + _PERSON,
            _SCORE,
            languages=_FR,
            needs=("merci", "remercie", "bravo"),
        ),
        Pattern(
            "en-role",
            r"(?i:\b(?:the|my|our|your|a|an)\s+"
            r"(?:technician|adviser|advisor|manager|agent|representative|rep|driver|courier"
            r"|salesperson|director|engineer|operator|colleague|neighbou?r|friend|husband|wife"
            r"|son|daughter|mother|father|brother|sister|doctor|nurse|lawyer|customer|client"
            r"|contact|supervisor|assistant))"
            r",?\s+" + _PERSON,
            _SCORE,
            languages=_EN,
            needs=(
                "technician",
                "adviser",
                "advisor",
                "manager",
                "agent",
                "representative",
                "rep",
                "driver",
                "courier",
                "salesperson",
                "director",
                "engineer",
                "operator",
                "colleague",
                "neighbour",
                "friend",
                "husband",
                "wife",
                "son",
                "daughter",
                "mother",
                "father",
                "brother",
                "sister",
                "doctor",
                "nurse",
                "lawyer",
                "customer",
                "client",
                "contact",
                "supervisor",
                "assistant",
            ),
        ),
        Pattern(
            "en-two-of",
            r"(?i:\b(?:my|our|your|the|two)\s+"
            + _PLURAL_ROLES_EN
            + r")\s+"
            + _PERSON
            + r"(?=\s+and\s)",
            _SCORE,
            languages=_EN,
            needs=_PLURAL_ROLE_WORDS_EN,
        ),
        Pattern(
            "en-two-of-second",
            r"(?i:\b(?:my|our|your|the|two)\s+" + _PLURAL_ROLES_EN + r")\s+"
            rf"{_CAP}(?:[ \-]{_CAP}){{0,2}}\s+and\s+" + _PERSON,
            _SCORE,
            languages=_EN,
            needs=_PLURAL_ROLE_WORDS_EN,
        ),
        Pattern(
            "en-self",
            r"(?i:\b(?:my\s+name\s+is|my\s+name's|i'm\s+called|call\s+me))\s+" + _PERSON,
            _SCORE,
            languages=_EN,
            needs=("name", "called", "call"),
        ),
        Pattern(
            "en-from-team",
            _PERSON + r"\s+(?i:from\s+(?:the\s+)?(?:accounting|support|sales|billing|hr|it"
            r"|legal|marketing|finance|payroll|customer\s+service|help\s*desk|reception))\b",
            _SCORE,
            languages=_EN,
            needs=("from",),
        ),
        Pattern(
            "en-greeting",
            r"(?i:\b(?:hello|hi|hey|dear|good\s+morning|good\s+afternoon))\s+"
            + _PERSON
            + r"(?=\s*[,!])",
            _SCORE,
            languages=_EN,
            needs=("hello", "hi", "hey", "dear", "good"),
        ),
        Pattern(
            "en-signature",
            r"(?i:\b(?:regards|best\s+regards|kind\s+regards|best\s+wishes|sincerely|cheers"
            r"|thanks\s+in\s+advance|yours\s+truly|best)),\s+" + _PERSON,
            _SCORE,
            languages=_EN,
            needs=("regards", "best", "kind", "sincerely", "cheers", "thanks", "yours"),
        ),
        Pattern(
            "en-customer",
            r"(?i:\b(?:customer|client|patient|candidate|subscriber|applicant))\s+" + _PERSON,
            _SCORE,
            languages=_EN,
            needs=("customer", "client", "patient", "candidate", "subscriber", "applicant"),
        ),
        Pattern(
            "en-field",
            r"(?i:\b(?:name|first\s+name|last\s+name|surname|full\s+name|account\s+holder"
            r"|requester|applicant))\s*:\s*" + _PERSON,
            _SCORE,
            languages=_EN,
            needs=("name", "first", "last", "surname", "full", "account", "requester", "applicant"),
        ),
        Pattern(
            "en-by",
            r"(?i:\b(?:opened|sent|signed|written|approved|created|handled|requested|submitted"
            r"|reported|filed|raised)\s+by)\s+" + _PERSON,
            _SCORE,
            languages=_EN,
            needs=("by",),
        ),
        Pattern(
            "en-contact",
            r"(?i:\b(?:called|phoned|rang|contacted|emailed|spoke\s+(?:to|with)|talked\s+to"
            r"|wrote\s+to|had))\s+" + _PERSON,
            0.6,
            languages=_EN,
            needs=(
                "called",
                "phoned",
                "rang",
                "contacted",
                "emailed",
                "spoke",
                "talked",
                "wrote",
                "had",
            ),
        ),
        Pattern(
            "en-thanks",
            r"(?i:\b(?:thanks|thank\s+you|kudos|shout-out)\s+to)\s+" + _PERSON,
            _SCORE,
            languages=_EN,
            needs=("thanks", "thank", "kudos", "shout"),
        ),
    )
    VALID_SCORE = None
    VALIDATION = "not an addressee word"

    def validate_result(self, value: str) -> bool | None:
        # "Dear Support,", "Bonjour Messieurs,", "Hi Team!": a greeting or a
        # signature addressed to a group or a function, not to a person. A
        # title ("my neighbour Mrs. Okafor") is not the name: the titled-person
        # rule finds what follows it.
        first = value.split()[0]
        return None if first.casefold() not in _ADDRESSEES and first not in _TITLE_WORDS else False
