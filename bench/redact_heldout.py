"""A fresh, independent held-out set for the redaction benchmark.

Written on 2026-11-23 in a separate session, by someone who had not seen the
recognizers of ``gardien.redact`` nor any of their errors, and who did not run
the detector on these sentences: a second annotator working blind. The
held-out set of ``redact_templates.py`` had been looked at while tuning, so it
no longer measures anything independent; this one replaces it.

It holds, per language (``"fr"`` and ``"en"``):

- ``HELDOUT``: 40 sentence templates in the style of the free text a company
  sends to an AI provider after anonymisation (support tickets, product
  feedback, chat logs, HR e-mails, call-centre notes). Slots are ``{NAME}``,
  filled with Faker values by ``redact_data.py``; titles (M., Mme, Dr, Mr...)
  and English possessive ``'s`` stay outside the slots. A few templates hold
  no personal data at all.
- ``HARD``: 20 hand-written sentences with gold spans marked inline as
  ``[[LABEL|value]]``; everything not marked must stay unflagged. Names that
  are common words, numbers that look like phones, cards or identifiers but
  are not, addresses written the French way. Every marked IBAN, card number,
  NIR, SIREN and SIRET has a valid checksum; the people and companies are
  invented.

Running this file does nothing: it is data, to be imported by the benchmark.
"""

from __future__ import annotations

HELDOUT: dict[str, list[str]] = {
    "fr": [
        "Bonjour, ici {PERSON} : ma box ne se connecte plus depuis hier soir, alors que je suis"
        " chez vous depuis six ans.",
        "{FIRST} a rappelé ce matin : le remboursement n'apparaît toujours pas sur son relevé.",
        "Appel entrant de Mme {LAST} ({PHONE}) pour un double prélèvement sur sa dernière facture.",
        "merci de renvoyer la facture à {EMAIL}, l'ancienne adresse n'est plus active",
        "Nom : {PERSON} / Tél. : {PHONE} / Courriel : {EMAIL}",
        "Le client souhaite être livré au {ADDRESS} et non à son ancienne adresse.",
        "Suite à notre entretien du {DATE}, je vous confirme ma démission du poste de chargée"
        " de clientèle.",
        "M. {LAST}, directeur commercial chez {ORG}, demande un devis pour 40 postes.",
        "Pouvez-vous mettre à jour mon RIB ? Nouvel IBAN : {IBAN}",
        "Le paiement par carte ({CARD}) a été débité deux fois, je demande le remboursement"
        " d'un des deux prélèvements.",
        "Tentatives de connexion répétées depuis {IPV4} sur le compte de {FIRST} ; compte"
        " bloqué par précaution.",
        "Numéro de sécurité sociale : {NIR} – à transmettre à la mutuelle avant la fin du mois.",
        "Pour ouvrir le compte pro, il nous faut le SIRET ({SIRET}) et un extrait Kbis de"
        " moins de trois mois.",
        "Le dossier de {PERSON} est presque complet : il ne manque que la copie du passeport"
        " (n° {PASSPORT}).",
        "j'ai perdu ma carte d'identité n° {CNI}, je fais comment pour la déclarer ?",
        "Très déçu par le SAV de {CITY} : trois semaines d'attente pour un simple écran cassé.",
        "Rien à signaler sur l'appli depuis la dernière mise à jour, tout fonctionne nickel.",
        "« Merci à {FIRST} pour sa patience », écrit le client dans l'enquête de satisfaction.",
        "Le Dr {LAST} a prescrit un arrêt de travail du {DATE} au {DATE}, merci de transmettre"
        " à la paie.",
        "La société {ORG} (SIREN {SIREN}) nous doit encore deux factures.",
        "Le lien {URL} renvoie une erreur 404 depuis ce matin.",
        "Pays de résidence : {COUNTRY}. Souhaite être rappelé en fin de journée.",
        "Me {LAST}, avocate de la partie adverse, nous a adressé un recommandé le {DATE}.",
        "Bonjour {FIRST}, votre colis vous attend au point relais de {CITY} pendant dix jours.",
        "Coordonnées mises à jour – adresse : {ADDRESS} ; téléphone : {PHONE}.",
        "Le serveur de préprod ({IPV6}) ne répond plus au ping depuis la migration.",
        "La réunion d'équipe est décalée à 14 h, toujours en salle 2.05.",
        "Entretien annuel de {PERSON} prévu le {DATE} avec sa responsable, Mme {LAST}.",
        "{PERSON} (service comptabilité) signale que le virement vers {IBAN} a été rejeté.",
        "Client très agacé, a raccroché deux fois ; le rappeler au {PHONE} après 18 h.",
        "Je vis maintenant à l'étranger ({COUNTRY}) et je n'arrive plus à accéder à mon"
        " espace client.",
        "Objet : candidature spontanée – {PERSON}, ingénieur QA, disponible à partir du {DATE}",
        "Pouvez-vous confirmer que {EMAIL} est bien l'adresse de facturation de {ORG} ?",
        "La note de frais de {PERSON} pour son déplacement à {CITY} a été validée.",
        "Le délai moyen de traitement des réclamations est passé de cinq à trois jours ouvrés.",
        "coucou c'est {FIRST} de la compta, tu peux me renvoyer le justificatif de {PERSON} ?",
        "Titulaire du contrat : {PERSON}, né(e) le {DATE} à {CITY}.",
        "D'après les logs, la requête venait de {IPV4} et visait {URL}",
        "Merci d'envoyer l'attestation employeur à l'adresse suivante : {ADDRESS}",
        "Le livreur a laissé le colis chez la voisine, Mme {LAST}, sans prévenir.",
    ],
    "en": [
        "Hi, my name is {PERSON} and I've been waiting two weeks for a refund.",
        "{FIRST} from billing says the invoice was sent to {EMAIL} on {DATE}.",
        "Caller: Mrs {LAST}, callback number {PHONE}, issue: router keeps dropping the connection.",
        "please update my shipping address to {ADDRESS}, I moved last month",
        "Dr. {LAST} signed off on the medical leave starting {DATE}.",
        "Customer reports that {ORG} charged their card ({CARD}) twice for the same order.",
        "Can someone check why {IPV4} keeps getting rate-limited? It's our office gateway.",
        "Name: {PERSON} | Email: {EMAIL} | Phone: {PHONE}",
        "I'd like to thank {FIRST} for being so patient with me on the phone yesterday.",
        "{FIRST}'s manager, Ms {LAST}, approved the overtime request.",
        "Please wire the deposit to IBAN {IBAN} and send the receipt to {EMAIL}.",
        "The app crashes every time I open the settings page since the last update.",
        "{PERSON}, Head of Procurement at {ORG}, asked for a quote on 200 seats.",
        "Our new hire in {CITY} ({COUNTRY}) will need a laptop and a badge before {DATE}.",
        "The link you sent ({URL}) just redirects to the login page.",
        "Suspicious login from {IPV6} - we've reset the password for {EMAIL}.",
        "For the French subsidiary, the supplier's SIRET is {SIRET} and its SIREN is {SIREN}.",
        "{PERSON} uploaded a scan of their French passport, number {PASSPORT}, for the visa file.",
        "The French social security number on the form ({NIR}) doesn't match the one on file.",
        "Attaching a copy of my French ID card (no. {CNI}) as requested.",
        "lol {FIRST} just replied-all to the whole company again",
        "Agent note — customer {PERSON} was polite but wants a supervisor to call back on {PHONE}.",
        "Delivery failed at {ADDRESS}: nobody home, parcel returned to depot.",
        '"{FIRST} was amazing, sorted everything in five minutes" - 5 stars',
        "Reminder: the quarterly all-hands has moved to the big meeting room on floor 3.",
        "Hey {FIRST}, can you forward me {PERSON}'s contact details? I need to reach them today.",
        "Feedback from {CITY}: checkout works, but the coupon field rejects valid codes.",
        "Mrs. {LAST} called again about the damaged sofa delivered on {DATE}; she wants a full"
        " refund.",
        "Invoice #4821 was issued to {ORG} and paid by bank transfer from {IBAN}.",
        "Re: job offer — {PERSON}, start date {DATE}, reporting to {PERSON}.",
        "Our VPN logs show {PERSON} connected from {IPV4} while on leave in {COUNTRY}.",
        "I can't log into {URL} with my usual password, can you help?",
        "Could you send the signed NDA to {EMAIL} and cc {EMAIL}?",
        "Card {CARD} was declined at checkout, although the bank says there are enough funds.",
        "Password reset requests have doubled this week; please check the mail server.",
        "Born {DATE} in {CITY}, {PERSON} joined the support team last spring.",
        "Escalated by {FIRST} / assigned to {FIRST} / priority: high",
        "Contact person at the vendor: {PERSON} ({EMAIL}), based in {CITY}.",
        "Dear Mr {LAST}, thank you for your patience while we looked into your claim.",
        "Thanks, {PERSON}, Customer Success Lead, {ORG}",
    ],
}

HARD: dict[str, list[str]] = {
    "fr": [
        "[[PERSON|Pierre]] a posé la première pierre du nouvel entrepôt avec le maire.",
        "Rose poudré ou bleu nuit : [[PERSON|Rose Lemaire]] hésite encore pour la coque.",
        "Claire et précise, la réponse de Mme [[PERSON|Claire Dubosc]] a réglé le litige en"
        " dix minutes.",
        "Commande n° 4502 8817 3390 1276 expédiée ; colis suivi sous le numéro 6A19844732015,"
        " livraison sous 48 h.",
        "Nouvelle adresse : [[LOCATION|12 bis, rue Pierre-Corneille, 69003 Lyon]] ; code porte"
        " 4521B, 3e étage gauche.",
        "Merci d'adresser le recours à [[ORGANIZATION|Mutuelle Horizon Santé]],"
        " [[LOCATION|BP 123, 31036 Toulouse CEDEX 1]].",
        "Cordialement, [[PERSON|Jeanne Roux]], responsable paie – [[ORGANIZATION|Atelier Vercors"
        " SAS]] – [[PHONE|04 76 12 58 93]]",
        "[[PERSON|Marin Lefèvre]], né le [[DATE|1er mars 1985]] à [[LOCATION|Brest]], a été"
        " marin pêcheur pendant dix ans.",
        "Le montant de 1 249,90 € a été prélevé le [[DATE|14/02/2025]] ; un geste commercial"
        " de 12,5 % a été accordé.",
        "Mon IBAN : [[IBAN|FR76 1780 6004 1252 0318 8470 039]] (titulaire : [[PERSON|Blanche"
        " Moreau]]).",
        "Nuit blanche pour l'équipe réseau : l'attaque venait de [[IP_ADDRESS|185.73.214.9]]"
        " et le pare-feu est passé en version 4.12.0.7.",
        "Article L. 1237-19 du Code du travail : la rupture conventionnelle collective suppose"
        " un accord majoritaire.",
        "NIR de l'assurée : [[ID_NUMBER|2 91 07 33 063 118 26]] ; sa fille [[PERSON|Olive]],"
        " 4 ans, est ayant droit.",
        "Huile d'olive, pâtes et riz : le code EAN 3760123456784 est mal imprimé sur 300 cartons.",
        "Facture FA-2025-00318 adressée à [[ORGANIZATION|Les Jardins de Claire]], SIRET"
        " [[ID_NUMBER|53207814400021]], payable à 30 jours.",
        "Paiement refusé avec la carte [[CREDIT_CARD|4970 1027 3846 5196]] ; code de"
        " réservation XK4F9Q, ticket n° 88231.",
        "Le passeport n° [[ID_NUMBER|21CK48307]] de M. [[PERSON|Yannick Le Goff]] expire le"
        " [[DATE|30 septembre 2026]].",
        "Salle 3.14, bâtiment C : la formation RGPD commence à 9 h 30 et dure 2 h ; ISBN du"
        " support : 978-2-06-254831-7.",
        "Écrivez-nous sur [[URL|https://aide.exemple-boutique.fr/contact]] ou composez le 3230"
        " (service gratuit).",
        "Bonjour [[PERSON|Marin]], le vent marin a retardé la livraison à"
        " [[LOCATION|Saint-Malo]] ; nouveau créneau entre 14 h et 16 h.",
    ],
    "en": [
        "[[PERSON|Hope Castillo]] wrote that she has little hope the replacement will arrive"
        " this week.",
        "Grace period for the renewal is 14 days, per section 4.2 of the contract.",
        "Will you ask [[PERSON|Will Barnes]] whether the will was signed in front of two"
        " witnesses?",
        "Mark the ticket as resolved once [[PERSON|Mark]] confirms the refund of $1,249.99 has"
        " landed.",
        "Please bill the extra hours to project ALPHA-7; [[PERSON|Bill Okafor]] approved them.",
        "Faith in the product is low after v3.2.1 shipped with the sync bug, says"
        " [[PERSON|Faith Adeyemi]] from QA.",
        "Ship to [[LOCATION|221 Elm Street, Apt 4B, Springfield, IL 62704]] - do not leave at"
        " the door.",
        "Best regards, [[PERSON|Grace Whitfield]] | Office Manager | [[ORGANIZATION|Northwind"
        " Logistics Ltd]] | [[PHONE|+44 20 7946 0321]]",
        "The applicant, [[PERSON|Daniel Rose]], was born [[DATE|1 March 1985]] and lists a rose"
        " nursery as his last employer.",
        "Order #4539-2210-7781-0047 is on hold; tracking 1Z4E583A0311882205 shows it still at"
        " the depot.",
        "Refund to card [[CREDIT_CARD|5412759301648822]] was processed on"
        " [[DATE|2025-02-14]]; reference RF-7730-0087.",
        "Our UK office moved to [[LOCATION|14 Harrow Lane, Leeds LS6 2QT]]; visitor parking is"
        " in bay 12.",
        "Server logs: 502 errors from [[IP_ADDRESS|203.0.113.47]] right after the upgrade to"
        " nginx 1.25.3.",
        "Hi team, [[PERSON|Rose]] is out until Monday; for payroll questions email"
        " [[EMAIL|payroll@brightmoor-foods.com]] instead.",
        "Transfer the deposit to [[IBAN|GB38 NWBK 6016 1348 2077 19]] and quote invoice"
        " INV-00912 as the reference.",
        "Room 1204, extension 4417: the interview with Dr. [[PERSON|Amara Lindqvist]] starts at"
        " 10:45 am.",
        "The French client's NIR is [[ID_NUMBER|1 78 04 13 055 126 79]] and his company's SIREN"
        " is [[ID_NUMBER|812347599]].",
        "[[PERSON|Grace]]'s laptop (asset tag LT-00731, serial C02XK1ZZJG5H) needs a new battery.",
        "The 2.5% discount applies to orders over $500 placed between 9:00 and 17:00, and the"
        " handbook is ISBN 978-0-306-40615-7.",
        "See [[URL|https://status.harborline.io/incidents/8812]] for details;"
        " [[ORGANIZATION|Harborline]] expects a fix within 4 hours.",
    ],
}
