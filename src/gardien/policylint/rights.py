# ruff: noqa: E501  (regular expressions read best on one line each)
"""The data subject's rights (Art. 13(2)(b)-(d), 14(2)(c)-(e)) as item definitions.

Each right is present when a sentence states it; ``RIGHTS_CONTEXT`` keeps
phrases such as "access to your data" for sentences that speak of a right
("you may", "you have the right").
"""

from __future__ import annotations

from gardien.declaration.transparency import TransparencyItem
from gardien.policylint.spec import RIGHTS_CONTEXT, ItemSpec, Pattern

P = Pattern

RIGHTS_SPECS: tuple[ItemSpec, ...] = (
    ItemSpec(
        TransparencyItem.RIGHT_ACCESS,
        {
            "en": (
                P(r"\bright\w* (of|to) (request |obtain |ask (us )?for )?access\b"),
                P(
                    r"\b(obtain|request|get|receive) (a copy of|access to) (your|their|the) (personal )?(data|datum|information)"
                ),
                P(
                    r"\baccess (to )?(their|your) (personal )?(data|datum)\b",
                    requires=RIGHTS_CONTEXT["en"],
                    veto=r"\b(limited|restricted|secured|password|who can access|third[- ]part\w*|providers?|processors?|partners|employees|staff|personnel)\b",
                ),
                P(
                    r"\b(receive|obtain|get|request) (a copy|an export\w*( file)?|a file|an? exported file) of (the |your |all )?(personal )?(data|datum|information)"
                ),
                P(r"\brequest access to\b", requires=r"\b(you|your|users?|data subjects?)\b"),
                P(
                    r"\b(provide|give|send)\b.{0,20}\ba copy of (the |your )?(personal )?(data|datum|information)"
                ),
            ),
            "fr": (
                P(r"\bdroits? d'accès\b"),
                P(
                    r"\bd'accès\b",
                    requires=r"\bdroits?\b",
                    veto=r"\b(contrôle d'accès|accès restreint|accès non autorisé)",
                ),
                P(r"\b(demander|obtenir) une copie\b|\bdroit de consulter\b"),
                P(
                    r"\b(accéder|obtenir une copie|demander l'accès|obtenir l'accès) (à |de )?(vos|leurs|ses|aux)\b"
                ),
            ),
        },
    ),
    ItemSpec(
        TransparencyItem.RIGHT_RECTIFICATION,
        {
            "en": (
                P(r"\brectif\w*"),
                P(
                    r"\b(correct|update|modify|amend|complete|edit)(s|d|ed|ing|ion)?\b.{0,30}\b(data|datum|information)\b",
                    requires=RIGHTS_CONTEXT["en"],
                    veto=r"\b(we|our team) (may |will )?(update|correct)",
                ),
                P(r"\bhave (them|it) (corrected|rectified|updated)\b"),
            ),
            "fr": (
                P(r"\brectif\w*"),
                P(
                    r"\b(corriger|modifier|mettre à jour|compléter|actualiser) (vos|leurs|ses|tes) (données|informations)"
                ),
                P(r"\b(demander|obtenir) la (correction|modification|mise à jour)\b"),
                P(
                    r"\bdroit de (faire )?(corriger|modifier|rectifier|actualiser|mettre à jour|compléter)\b"
                ),
            ),
        },
    ),
    ItemSpec(
        TransparencyItem.RIGHT_ERASURE,
        {
            "en": (
                P(r"\b(erasure|to be forgotten)\b"),
                P(
                    r"\bdeletion\b",
                    requires=RIGHTS_CONTEXT["en"],
                    veto=r"\buntil (the )?(account )?deletion|account deletion\b|\b(before|after|upon) (the )?deletion\b",
                ),
                P(
                    r"\b(delete|erase)\b.{0,20}\b(your|their) (personal )?(data|datum|information)\b",
                    requires=RIGHTS_CONTEXT["en"],
                ),
                P(r"\bhave\b.{0,30}\b(data|datum|information) (deleted|erased|delete|erase)\b"),
            ),
            "fr": (
                P(r"\b(effacement|droit à l'oubli)\b"),
                P(
                    r"\bsuppression\b",
                    requires=RIGHTS_CONTEXT["fr"],
                    veto=r"\bjusqu'à la suppression",
                ),
                P(
                    r"\b(supprimer|effacer) (vos|leurs|ses|tes) (données|informations)",
                    requires=RIGHTS_CONTEXT["fr"],
                ),
                P(r"\bde les (supprimer|effacer)\b", requires=r"\bdroits?\b"),
                P(
                    r"\b(sont|seront) (effacé|supprimé)e?s\b",
                    requires=r"\b(écri\w*|demand\w*|envoy\w*|pouvez|peux|droits?)\b",
                ),
            ),
        },
    ),
    ItemSpec(
        TransparencyItem.RIGHT_RESTRICTION,
        {
            "en": (
                P(
                    r"\b(restrict|restriction|limit|limitation)\w*\b.{0,30}\bprocessing\b",
                    veto=r"\blimited to what is necessary",
                ),
                P(r"\bto limit it\b", requires=r"\bprocessing\b"),
            ),
            "fr": (
                P(r"\b(limitation|limiter|restreindre|restriction)\b.{0,30}\btraitements?\b"),
                P(r"\bdroit à la limitation\b"),
            ),
        },
    ),
    ItemSpec(
        TransparencyItem.RIGHT_PORTABILITY,
        {
            "en": (
                P(r"\bportability\b"),
                P(r"\bstructured, commonly[- ]used,? and machine[- ]readable"),
                P(r"\b(transmit|transfer)\w* (directly )?to another (data )?controller"),
            ),
            "fr": (
                P(r"\bportabilité\b"),
                P(r"\bformat structuré\b"),
            ),
        },
    ),
    ItemSpec(
        TransparencyItem.RIGHT_OBJECTION,
        {
            "en": (
                P(r"\bright to object\b"),
                P(
                    r"\bobject\w* (at any time )?to (the |such |this |their |any |its )?(processing|it|direct marketing|profiling)\b",
                    veto=r"\b(has|have) objected\b",
                ),
                P(
                    r"\b(opposition|oppose (the |to the |such )?processing)\b",
                    veto=r"\boppose the erasure",
                ),
                P(
                    r"\b(opt[- ]out|unsubscribe)\b.{0,60}\b(marketing|newsletter|prospecting|commercial)",
                    requires=r"\b(right|can|may|at any time)\b",
                ),
                P(r"\bopt[- ]out of (certain |the |any )?(processing|sale|sharing|targeted)"),
            ),
            "fr": (
                P(r"\bdroits? d'opposition\b"),
                P(r"\bd'opposition\b", requires=r"\bdroits?\b"),
                P(r"\b(vous |t'|te |s'|les utilisateurs peuvent s')opposer\b"),
                P(r"\bopposition au traitement\b"),
            ),
        },
    ),
    ItemSpec(
        TransparencyItem.WITHDRAW_CONSENT,
        {
            "en": (
                P(r"\b(right to|can|may|able to|free to) (withdraw|revoke)\b"),
                P(r"\b(withdraw|revoke)\w* (your |their )?consent\b.{0,40}\bat any time\b"),
                P(r"^[-*• ]*\**(withdraw|revoke) (your|their) consent\b"),
                P(
                    r"\bwithdrawal of (your |their )?consent\b",
                    requires=r"\b(right|at any time|can|may)\b",
                ),
            ),
            "fr": (
                P(r"\bretirer (votre|leur|son|ton) consentement\b"),
                P(r"\bconsentement\b.{0,80}\b(peux|pouvez|peut|pouvoir) (le )?retirer\b"),
                P(
                    r"\bretrait (de|du) (votre |son |leur )?consentement\b",
                    requires=r"\b(droit|à tout moment|pouvez|peut)\b",
                ),
            ),
        },
    ),
    ItemSpec(
        TransparencyItem.COMPLAINT_AUTHORITY,
        {
            "en": (
                P(r"\b(lodge|file|submit|make|introduce)\w* (a )?complaint\b"),
                P(
                    r"\bcomplaint\b.{0,60}\b(cnil|supervisory authority|data protection authority|authority)\b"
                ),
                P(r"\bright to complain\b"),
            ),
            "fr": (
                P(r"\b(introduire|déposer|adresser|former|porter) (une )?(réclamation|plainte)\b"),
                P(
                    r"\bsaisir (la cnil|l'autorité|une autorité|une instance de contrôle|l'instance de contrôle)"
                ),
                P(r"\b(réclamation|plainte)\b.{0,60}\b(cnil|autorité de contrôle)\b"),
            ),
        },
    ),
)
