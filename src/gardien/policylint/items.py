# ruff: noqa: E501  (regular expressions read best on one line each)
"""What counts as each Art. 13/14 item, written as data.

Items are named by the checklist's keys (``gardien.declaration.transparency``,
which also holds their articles and labels, and says which items the lint
does not look for, and why). An item is present when one sentence of body
text (not a bare heading) matches one of its patterns. A pattern is a regular
expression tried on the sentence's lowercase surface form and on its
lowercase lemmas (so "retains", "retained" and "retaining" all read
"retain"); ``requires`` must also match the same sentence, and ``veto`` must
not. ``docs/policy-lint.md`` gives the definition each pattern list
implements. Items that need more than one sentence pattern (the controller's
name, its contact details, the DPO, the retention period) are found in
``detect.py`` from the constants below.
"""

from __future__ import annotations

from gardien.declaration.transparency import TransparencyItem
from gardien.policylint.rights import RIGHTS_SPECS
from gardien.policylint.spec import ItemSpec, Pattern

P = Pattern

#: Services that receive personal data for the companies that use them (processors): a
#: policy naming one where it speaks of data, hosting, payments, e-mail or analytics
#: names a recipient.
NAMED_SERVICE = r"\b(google analytics|google ads|firebase|stripe|paypal|mailchimp|brevo|sendinblue|mailjet|mailgun|sendgrid|postmark|resend|matomo|hotjar|plausible|sentry|zendesk|hubspot|salesforce|intercom|crisp|twilio|aws|amazon web services|cloudfront|ovh|ovhcloud|scaleway|hetzner|netlify|vercel|heroku|github|cloudflare|digitalocean|azure|gravatar|formspree|typeform|calendly|openai|shopify|supabase)\b"
DATA_HANDLING = r"\b(données|data|datum|information|informations|hébergement|hosting|hosted|host|hébergé\w*|paiements?|payments?|analytics|statistiques|audience|e-?mails?|newsletters?|mailing|cookies?|gérée?s?|managed|via|backend|frontend|formulaire|forms?|transactions?|base de données|database|authentification|authentication|processor|sous-traitant)\b"

ITEM_SPECS: tuple[ItemSpec, ...] = (
    ItemSpec(
        TransparencyItem.PURPOSES,
        {
            "en": (
                P(
                    r"\bpurposes? (of|for) (the |this |our |data |such |each )*(processing|process|use|collection)\b"
                ),
                P(r"\bfor the purposes? of\b", requires=r"\b(process|use|collect)\w*"),
                P(
                    r"\b(us(e|es|ed|ing)|process(es|ed|ing)?|collect(s|ed|ing)?) (your |the user's |users' |personal |the |this |such )*(data|datum|information) (in order |so as )?(to|for)\b"
                ),
                P(
                    r"\b(data|datum|information)\b.{0,40}\b(be|is|are) (process|processed|collect|collected|use|used|intended) (in order |so as )?(to|for)\b"
                ),
                P(r"\bprocess\w* .{0,40}for (specific|the following|these) .{0,30}purposes\b"),
                # "We use the information we collect to provide…", "collect … to help spam detection"
                P(
                    r"\b(us(e|es|ed|ing)|process(es|ed|ing)?|collect(s|ed|ing)?|stor(e|es|ed|ing)|track(s|ed|ing)?|record(s|ed|ing)?)\b[^.;]{0,140}?\b(to|in order to) (help|provide|improve|detect|prevent|understand|analy[sz]e|measure|send|deliver|operate|secure|fix|enable|personali[sz]e|remember|better serve|manage|maintain|process|respond|contact|communicate|fulfil|fulfill)\b",
                    requires=r"\b(data|datum|information|details|cookies?|address|it|them)\b",
                    # Security measures protect data; they are not what it is used for.
                    veto=r"\b(encrypt\w*|ssl|tls|https|firewalls?|backups?|technical and organi[sz]ational|security measures?|data security)\b",
                ),
                P(
                    r"\bfor [a-z ,&-]{0,50}\bpurposes\b",
                    requires=r"\b(collect|track|process|use|store|record|log)\w*\b.{0,60}\b(data|datum|information|details|visits?)\b|\b(data|datum|information|details|visits?)\b.{0,60}\b(collect|track|process|use|store|record|log)\w*",
                    veto=r"\bpurposes of (this|these|the present|data protection|the gdpr|the regulation)|\b(must|shall|should)\b",
                ),
            ),
            "fr": (
                P(r"\bfinalités?\b"),
                P(r"\b(aux fins d[e']|dans le but d[e'])", requires=r"\b(trait|utilis|collect)\w*"),
                P(
                    r"\b(utilis|trait|collect|exploit|analys)\w* (vos|les|ces|leurs|tes|ses) (données|informations|messages)( personnelles)?\b[^.;]{0,30}?\b(pour|afin de|afin d'|dans le but)"
                ),
                P(
                    r"\b(données|informations)\b.{0,40}\b(sont|seront|être) (utilisées|traitées|collectées|destinées) (uniquement |seulement |exclusivement )?(pour|afin de|à)\b"
                ),
                # "Elles ne sont utilisées que pour…", "Tes messages sont analysés … pour permettre…"
                P(
                    r"\b(sont|seront|est|sera) (utilisé|traité|analysé|collecté|exploité|recueilli)e?s? (que |uniquement |seulement |exclusivement )?(par [^.;]{0,30})?(pour|afin d|dans le but)(?! une durée| la durée)",
                    requires=r"\b(données|informations|messages|elles|ils|adresse|e-mail|email|profil)\b",
                ),
                P(
                    r"\bnous utilisons\b[^.;]{0,80}?\b(pour|afin d)",
                    veto=r"\b(chiffr|sécuris|https|ssl|tls)\w*",
                ),
                P(
                    r"^pour (assurer|fournir|permettre|gérer|améliorer|proposer|traiter|répondre|vous)\b[^.]{0,80}:$",
                    veto=r"\b(sous-traitants?|prestataires?|traitements)\b",
                ),
            ),
        },
    ),
    ItemSpec(
        TransparencyItem.LEGAL_BASIS,
        {
            "en": (
                P(
                    r"\b(legal|lawful) (basis|bases|ground|grounds) (for|of) (the |our |this |data |such )*(processing|process|transfer)"
                ),
                P(
                    r"\b(legal|lawful) bas[ie]s\b",
                    requires=r"\b(processing|process|consent|contract|obligation|interest)",
                ),
                P(
                    r"\bnecessary (for|to) the (proper )?(performance|execution) of (a|an|the|our|your) (contract|agreement)"
                ),
                P(
                    r"\b(based|rely|relies|relying|base) on (your|the user's|their|users') (explicit |prior )?consent",
                    veto=r"\b(where|when|if) (the )?processing is based",
                ),
                P(r"\bon the basis of (your|their|the user's) (explicit |prior )?consent"),
                P(r"\bwithin the framework of the contract\b"),
                P(r"\bnecessary (to|for) comply(ing)? with (a|our|the) legal obligation"),
                P(r"\b(on|based on|rely on) (our|its) legitimate interests?\b"),
                P(r"\bpursu\w* (our|its|the) legitimate interests?\b"),
                P(r"\bto (fulfil|fulfill|perform) (our|the|a|your) (contract|agreement)"),
                P(r"\b(collected|processed) with your (permission|consent)\b"),
                P(
                    r"\bbasis\W{0,4}:\W{0,4}.{0,40}\b(consent|contract|legal|legitimate|law|regulatory|permission)"
                ),
                P(r"\bprocess\w* (your )?(personal )?(data|datum|information) based on\b"),
            ),
            "fr": (
                P(r"\bbases? (légale|juridique|légales|juridiques)\b"),
                P(r"\bfondements? (juridiques?|légal|légaux)\b"),
                P(r"\bnécessaires? à l'exécution (d'un|du|de votre|de notre) contrat"),
                P(
                    r"\b(sur la base de|fondée? sur|repose sur) (votre|leur|le) consentement",
                    veto=r"\b(lorsque|si|quand) (le|un) traitement (repose|est fondé)",
                ),
                P(
                    r"\b(nécessaires? au respect|respecter) (d'une|de nos|nos|une) obligations? légales?"
                ),
                P(r"\b(sur la base de|fondée? sur|repose sur) (notre|son) intérêt légitime"),
                P(r"\bexécution (du|d'un|de votre|de ton|de notre) contrat\b"),
                P(r"\b(sur la base de|fondée? sur|repose sur) (ton|tes) consentement"),
                P(
                    r"\b(donnez|donnes|exprimez) (expressément |explicitement )?(votre|ton) consentement (pour|à) (la collecte|le traitement|l'utilisation)"
                ),
            ),
        },
    ),
    ItemSpec(
        TransparencyItem.LEGITIMATE_INTERESTS,
        {
            "en": (
                P(
                    r"\blegitimate interests? (?:(?:is|are|being|lies|consists)\s+)?(?:in|to|of|:|\(|namely|such as|consisting (?:in|of))\s?"
                    r"(?!(?:processing|process|them|it|us|the controller|the owner|the company|pursued|in such)\b)[a-z]"
                ),
                # A table: "basis: legitimate interest; reason: fraud prevention".
                P(r"\blegitimate interests?; (reason|purpose|why|interest)\w*: [a-z]"),
            ),
            "fr": (
                P(
                    r"\bintérêts? légitimes? (?:à|de|d'|:|\(|consistant à|qui consiste à|, à savoir|, notamment)\s?"
                    r"(?!(?:traiter|les traiter|poursuivi|la société|notre société|du responsable|effectuer|réaliser|ce traitement|notre entreprise|de notre|de la société)\b)[a-zéèàç]"
                ),
                P(
                    r"\bintérêts? légitimes?; (raison|finalité|objectif|pourquoi|motif)\w*: [a-zéèàç]"
                ),
            ),
        },
    ),
    ItemSpec(
        TransparencyItem.RECIPIENTS,
        {
            "en": (
                P(
                    r"\b(categories of recipients|recipients? (of|to whom|or categories|include|are)|(the|our|following|these) recipients)\b"
                ),
                P(
                    r"\b(share|shared|sharing|communicate|communicated|transmit|transmitted|disclose|disclosed|pass|passed|sell|sold|make available)\b.{0,80}\b(third[- ]part(y|ies)|providers?|subcontractors?|sub-processors?|processors?|partners?|authorities|purchasers?|companies)\b"
                ),
                P(
                    r"\b(third[- ]part(y|ies)|providers?|subcontractors?|sub-processors?|processors?)\b.{0,60}\b(receive|process|host|access|have access)\w*\b.{0,30}\b(data|datum|information)\b"
                ),
                P(
                    r"\b(accessible|accessed|access)\b.{0,30}\b(only|solely|exclusively)? ?by\b.{0,40}\b(department|engineers?|staff|employees|team|management)\b"
                ),
                P(
                    r"\b(hosted|managed|handled) (by|with|on|at)\b",
                    veto=r"\b(by|with) (us|you|ourselves)\b",
                ),
                P(r"\bhosting (provider|company|service)s?\b"),
                P(
                    r"\b(use|engage|employ|rely on|work with|call on)\b.{0,40}\b(processors?|sub-?processors?|service providers?|providers|third[- ]party (companies|services|service providers|providers))\b"
                ),
                P(NAMED_SERVICE, requires=DATA_HANDLING),
            ),
            "fr": (
                P(r"\bdestinataires?\b"),
                P(
                    r"\b(communiqu|transmi|transmett|partag|divulgu|cédé|vend)\w*\b.{0,80}\b(tiers|prestataires?|sous-traitants?|partenaires?|autorités?|sociétés)\b"
                ),
                P(
                    r"\b(prestataires?|sous-traitants?|tiers)\b.{0,60}\b(reçoi|trait|héberg|accèd|ont accès)\w*"
                ),
                P(
                    r"\baccessibles? (uniquement |seulement )?(par|aux?)\b.{0,40}\b(services?|équipes?|salariés|personnel)\b"
                ),
                P(
                    r"\b(hébergée?s?|gérée?s?|opérée?s?) (par|chez|sur)\b",
                    veto=r"\b(par|chez) (nous|nos soins|nous-mêmes)\b",
                ),
                P(r"\bl'hébergeur\b"),
                P(
                    r"\b(faisons appel|fait appel|recourons|avons recours|utilisons|travaillons avec)\b.{0,40}\b(sous-traitants?|prestataires?|services? tiers|fournisseurs?)\b"
                ),
                P(NAMED_SERVICE, requires=DATA_HANDLING),
            ),
        },
    ),
    ItemSpec(
        TransparencyItem.INTERNATIONAL_TRANSFERS,
        {
            "en": (
                P(
                    r"\b(outside|beyond|out of) (of )?(the )?(european union|eu|eea|european economic area|europe)\b"
                ),
                P(r"\bthird countr(y|ies)\b"),
                P(r"\binternational organi[sz]ation"),
                P(r"\b(standard contractual clauses|adequacy decision|binding corporate rules)\b"),
                P(
                    r"\btransfer\w*\b.{0,100}\b(countr(y|ies)|abroad|overseas|united states|usa|canada|india|united kingdom|switzerland|anywhere in the world)\b"
                ),
                P(r"\bplace of processing\b"),
                P(
                    r"\b(hosted|stored|located|processed|maintained)\b.{0,30}\b(in|within) (france|germany|ireland|the netherlands|belgium|the eu|europe|the united states|the us|canada)\b"
                ),
                P(
                    r"\b(located|hosted|stored|processed) (exclusively |only |solely )?(in|within) (the )?(european union|eu|eea|europe)\b"
                ),
            ),
            "fr": (
                P(
                    r"\b(hors|en dehors) (de l'|du |de la |de l')?(union européenne|ue|eee|espace économique européen|europe)\b"
                ),
                P(r"\bpays tiers?\b"),
                P(r"\borganisations? internationales?\b"),
                P(
                    r"\b(clauses contractuelles types|décision d'adéquation|règles d'entreprise contraignantes)\b"
                ),
                P(
                    r"\btransf[ée]r\w*\b.{0,100}\b(pays|états-unis|étranger|canada|royaume-uni|suisse|inde)\b"
                ),
                P(
                    r"\b(hébergé|stocké|traité|localisé|situé)e?s?\b.{0,30}\b(en|au|aux) (france|allemagne|irlande|belgique|europe|union européenne|ue|pays-bas|suisse|états-unis|canada)\b"
                ),
                P(
                    r"\b(hébergées|stockées|situés?|traitées) (exclusivement |uniquement )?(en|dans l'|au sein de l') ?(union européenne|europe|ue)\b"
                ),
            ),
        },
        # What a person may ask about a transfer is not a statement that there is one.
        veto={
            "en": r"\bright to (be informed|obtain information)\b|\bthe recipients or categories of recipients\b",
            "fr": r"\bdroit d'(être informé|obtenir)\b",
        },
    ),
    *RIGHTS_SPECS,
    ItemSpec(
        TransparencyItem.STATUTORY_REQUIREMENT,
        {
            "en": (
                P(r"\b(required|mandatory|compulsory|obligatory) or (optional|voluntary|not)\b"),
                P(
                    r"\b(data|datum|information|fields?|address|name|e-mail|email)\b.{0,40}\b(is|are|be)\b.{0,15}\b(mandatory|compulsory|obligatory|optional|required(?! (by|for|to|under|in)\b))\b",
                    veto=r"\brequired (by|under) (law|applicable)|\bas required\b",
                ),
                P(r"\bif you do not provide\b"),
                P(r"\b(required|mandatory): (yes|no)\b"),
                P(r"\((mandatory|optional|required)\)"),
                P(
                    r"\b(never|not) (obligatory|mandatory|compulsory)\b",
                    requires=r"\b(provid|enter|giv|information|data)",
                ),
                P(
                    r"\bprovision of (personal )?(data|datum) is (a |an )?(mandatory|statutory|contractual|legal)\b"
                ),
                P(
                    r"\b(statutory|legal|contractual) (or contractual )?requirement",
                    requires=r"\b(provi(de|sion|ding)|obliged|mandatory)\b",
                ),
                P(r"\bconsequences? of (not|failing to|failure to) provid"),
                P(r"\b(when|if|where) the provision of (personal )?(data|datum) is mandatory"),
                P(
                    r"\b(without|absence of) (these|this|the|such) (data|datum|information)\b.{0,40}\b(cannot|can not|impossible|unable)\b"
                ),
            ),
            "fr": (
                P(
                    r"\b(données|champs|informations)\b.{0,40}\b(obligatoires?|facultatifs?|facultatives?)\b"
                ),
                P(r"\b(obligatoires?|facultatifs?)\b.{0,40}\b(astérisque|signalés?|indiqués?)\b"),
                P(r"\bexigence (légale|réglementaire|contractuelle)"),
                P(
                    r"\bconséquences? (d'un|du|de l'absence de|d'une absence de) (défaut|refus|non|réponse|fourniture)"
                ),
                P(r"\bsans (ces|ses|vos) (données|informations)\b.{0,40}\b(pas|impossible)\b"),
                P(
                    r"\((obligatoires?|facultati\w*)\)|\b(entièrement|totalement) facultati\w*|\bobligatoirement renseign"
                ),
                P(r"\bsi (tu choisis|vous choisissez) de (les )?(partager|fournir|communiquer)\b"),
                P(r"\b(obligatoire|requis)e?s?: (oui|non)\b"),
            ),
        },
    ),
    ItemSpec(
        TransparencyItem.AUTOMATED_DECISION_MAKING,
        {
            "en": (
                P(r"\bautomated (individual )?decision"),
                P(r"\bdecisions? based solely on automated"),
                P(r"\bprofiling\b"),
            ),
            "fr": (
                P(r"\bdécisions? (individuelles? )?automatisées?\b"),
                P(r"\bdécisions? fondées? exclusivement sur un traitement automatisé"),
                P(r"\bprofilage\b"),
            ),
        },
        veto={"en": r"\bthe existence of\b|\bopt[- ]out of\b", "fr": r"\bl'existence d"},
    ),
    ItemSpec(
        TransparencyItem.DATA_SOURCE,
        {
            "en": (
                P(
                    r"\b(originate|come|comes|obtained|received|collected|receive|obtain)\b.{0,60}\b(from|through|via)\b.{0,30}\b(you|third[- ]part\w*|partners?|public(ly)? (sources?|available)|forms?|registration|the user|users|api|institutions?|sources?)\b"
                ),
                P(
                    r"\b(you|the user|users)\b.{0,40}\b(provide|communicate|submit|give|enter)\w*\b.{0,30}\b(data|datum|information)\b"
                ),
                P(
                    r"\b(provided|communicated|submitted|given) (freely |directly )?by (you|the user|users)\b"
                ),
                P(r"\bcollect\w*\b.{0,30}\bfrom (you|users|the user)\b"),
                P(r"\bsources? of (the |your )?(personal )?(data|datum|information)\b"),
                P(r"\bcollected on the forms?\b"),
                P(
                    r"\b(data|datum|information|details)\b (that |which )?(you|they|users|the user) (provide|give|submit|enter|share|communicate)",
                    veto=r"\b(right|portability|copy|rectif\w*|erasure)\b",
                ),
                P(
                    r"\bwhen you (create|register|sign up|subscribe|fill|contact|leave|use)\b.{0,60}\bwe (collect|receive|ask|store|obtain)\b"
                ),
                P(r"\b(provides?|sends?|shares?|gives?) us\b\W*$"),
                P(r"\b(automatically collect|collect\w* automatically)\b"),
                P(r"\b(data|datum|information) (shown|entered|submitted) in\b"),
            ),
            "fr": (
                P(
                    r"\b(provien\w*|issues? de|obtenues? (auprès|de|par)|collectées? (directement )?(auprès de|via|par l'intermédiaire|par le biais))"
                ),
                P(
                    r"\b(vous|tu) (nous |me )?(fournissez|communiquez|transmettez|renseignez|saisissez|importez|fournis|communiques|saisis|donnez|indiquez)\b"
                ),
                P(
                    r"\b(vous|te) demand\w* (de (nous )?(fournir|communiquer|renseigner)|(plusieurs |certaines |des |vos |tes )?(informations|données))"
                ),
                P(r"\b(construit|établi|déduit|généré)e?s? à partir de\b"),
                P(
                    r"\b(recueilli|collecté)e?s? automatiquement\b|\bautomatiquement (recueilli|collecté)"
                ),
                P(
                    r"\bcollect\w*\b.{0,30}\bauprès (de vous|des utilisateurs|de tiers|de nos partenaires)\b"
                ),
                P(r"\bsources? des données\b"),
            ),
        },
        veto={
            "en": r"\bas to their source|where the data are not collected",
            "fr": r"\blorsque les données ne sont pas collectées",
        },
    ),
)
ITEM_SPECS_BY_KEY = {spec.key: spec for spec in ITEM_SPECS}

# --- Items found by detect.py --------------------------------------------------------------

#: A retention statement: keeping, storing or deleting data, or a retention period.
RETENTION_CUE = {
    "en": r"\b(retain|retention|keep|kept|store|stored|conserve|archive|archiving|delete|deleted|erased|destroy|destroyed|shelf life|storage period)\w*\b|\blasts? for\b|\bexpires? after\b",
    "fr": r"\b(conserv|garder|gardées?|archiv|supprim|effac|détrui|durée de conservation)\w*",
}
#: A period or a criterion that fixes how long: a number of days/months/years, or an end event.
RETENTION_PERIOD = {
    "en": r"\bindefinitely\b|\bonce (your|the|this) \w+ (is|has been)\b|\bwhen you close\b|\buntil\b|\bas long as (your|the|you|such) (account|contract|relationship|subscription|registration|consent|register|remain|use|have)\w*|\bfor as long as you\b|\bfor the (duration|term|length) of (the|your|our) (contract|account|relationship|subscription|agreement)|\b(after|following|from) (the )?(end|termination|closure|expiry|deletion|last)\b|\bunlimited period",
    "fr": r"\bune fois (que )?(votre|le|la|ton|ta|leur|vos|tes)\b|\ble temps de (votre|ton|ta|la|leur|l')|\bau plus tard\b|\bdès (que|la fin|la clôture)\b|\bjusqu'(à|au|aux)\b|\bpendant (toute )?la durée (du|de la|de votre|de notre)|\btant que (votre|le|la|vous)\b|\bà compter (de|du)\b|\baprès (la|le) (fin|clôture|suppression|dernier|résiliation)",
}
#: Retention words that are about something else: requests, access to data, cookies set.
RETENTION_VETO = {
    "en": r"\b(request|respond|response|reply|answer|password|security|securely)\b",
    "fr": r"\b(demandes?|répond\w*|réponse|mot de passe|sécurité)\b",
}
#: Vague retention: no period, no criterion.
RETENTION_VAGUE = {
    "en": r"\b(as long as|no longer than) (is |it is |strictly )?(necessary|required|needed)",
    "fr": r"\b(aussi longtemps que|pas plus longtemps que|le temps) (nécessaire|strictement nécessaire)",
}

#: Words that name the data protection officer.
DPO_CUE = {
    "en": r"\b(data protection officer|dpo)\b",
    "fr": r"\b(délégué à la protection des données|dpo|dpd)\b",
}
#: Words that name the supervisory authority: its address is not the controller's.
AUTHORITY_CUE = r"(?i:\bcnil\b|supervisory authority|data protection authority|commission nationale|autorité de contrôle|informatique et (des )?libertés)"
