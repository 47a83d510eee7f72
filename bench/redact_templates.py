"""Sentence templates and hand-written hard cases for the redaction benchmark.

Everything here is the *development* set: what the recognizers are looked at
against while they are written (tests use ``DEV`` too). ``DEV`` came first;
``FORMER_HELDOUT`` and ``FORMER_HARD`` were the held-out set of the first
benchmark runs, until their errors were studied to improve boundaries, at
which point they joined the development set. The held-out set that
``redact_eval.py`` scores by default is in ``redact_heldout.py``, written
blind by someone who had not seen the recognizers or their errors.

Slots are ``{NAME}`` (see ``redact_eval.SLOTS``). In hard cases, gold spans
are marked inline as ``[[LABEL|value]]``; everything else must stay unflagged.
Running this file does nothing: it is data imported by ``redact_eval.py``.
"""

from __future__ import annotations

DEV: dict[str, list[str]] = {
    "fr": [
        "Bonjour, je m'appelle {PERSON} et j'habite au {ADDRESS}.",
        "Merci de contacter {PERSON} par e-mail à {EMAIL} ou au {PHONE}.",
        "Mme {LAST} a appelé le service client le {DATE} pour se plaindre.",
        "Né le {DATE} à {CITY}, {PERSON} travaille chez {ORG} depuis trois ans.",
        "Veuillez effectuer le virement sur l'IBAN {IBAN} avant la fin du mois.",
        "J'ai payé avec ma carte {CARD} mais le paiement a été refusé.",
        "Connexion suspecte depuis l'adresse IP {IPV4} détectée cette nuit.",
        "Mon numéro de sécurité sociale est le {NIR}.",
        "La société {ORG}, immatriculée au RCS sous le numéro {SIREN}, est notre fournisseur.",
        "Le produit commandé sur {URL} n'est jamais arrivé chez moi à {CITY}.",
        "{PERSON} m'a dit que le conseiller était très aimable.",
        "Mon passeport n° {PASSPORT} expire bientôt.",
        "Vous pouvez me joindre au {PHONE} entre 9 h et 18 h.",
        "Le colis devait être livré au {ADDRESS} le {DATE}.",
        "Retour d'expérience de {FIRST} : l'application plante à chaque ouverture.",
        "SIRET de l'établissement : {SIRET}.",
        "J'ai écrit à {EMAIL} trois fois sans réponse.",
        "Le serveur {IPV6} ne répond plus depuis la mise à jour.",
        "Notre agence de {CITY} est fermée le samedi.",
        "M. {PERSON}, conseiller chez {ORG}, m'a rappelé le lendemain.",
        # Added after the first held-out run, to tune boundaries without
        # looking at held-out errors.
        "La responsable, {PERSON}, n'a pas répondu à mes messages.",
        "J'ai eu {FIRST} au téléphone ; très aimable.",
        "Selon {PERSON} (service client), le dossier est clos.",
        "Mes voisins {FIRST} et {FIRST} ont eu le même problème.",
        "La technicienne {PERSON} est intervenue le {DATE}.",
        "Je remercie {PERSON} pour sa patience !",
        "Adresse de livraison : {ADDRESS}",
        "Le magasin {ORG} de {CITY} refuse l'échange.",
        "Contrat signé avec {ORG} le {DATE} à {CITY}.",
        "Madame {LAST}, votre demande a bien été enregistrée.",
    ],
    "en": [
        "Hello, my name is {PERSON} and I live at {ADDRESS}.",
        "Please contact {PERSON} at {EMAIL} or call {PHONE}.",
        "Mrs. {LAST} called customer service on {DATE} to complain.",
        "Born on {DATE} in {CITY}, {PERSON} has worked at {ORG} for three years.",
        "Please wire the money to IBAN {IBAN} before the end of the month.",
        "I paid with my card {CARD} but the payment was declined.",
        "Suspicious login from IP address {IPV4} detected last night.",
        "The order placed on {URL} never arrived at my place in {CITY}.",
        "{PERSON} told me the agent was very helpful.",
        "You can reach me at {PHONE} between 9am and 6pm.",
        "The parcel was supposed to be delivered to {ADDRESS} on {DATE}.",
        "Feedback from {FIRST}: the app crashes every time I open it.",
        "I wrote to {EMAIL} three times without an answer.",
        "Server {IPV6} stopped responding after the update.",
        "Our branch in {CITY} is closed on Saturdays.",
        "Mr. {PERSON}, an adviser at {ORG}, called me back the next day.",
        "My French passport number is {PASSPORT}.",
        "Invoice from {ORG} dated {DATE}, paid by card ending in {CARD}.",
        "I moved from {CITY} to {COUNTRY} last year.",
        "Dr {LAST} recommended that I contact {ORG} directly.",
        # Added after the first held-out run, to tune boundaries without
        # looking at held-out errors.
        "The manager, {PERSON}, never answered my messages.",
        "I had {FIRST} on the phone; very kind.",
        "According to {PERSON} (customer service), the case is closed.",
        "My neighbours {FIRST} and {FIRST} had the same problem.",
        "The technician {PERSON} came by on {DATE}.",
        "Many thanks to {PERSON} for her patience!",
        "Delivery address: {ADDRESS}",
        "The {ORG} store in {CITY} refuses the exchange.",
        "Contract signed with {ORG} on {DATE} in {CITY}.",
        "Dear Mr. {LAST}, your request has been recorded.",
    ],
}

FORMER_HELDOUT: dict[str, list[str]] = {
    "fr": [
        "Suite à notre échange, {PERSON} souhaite résilier son abonnement.",
        "Adresse de facturation : {ADDRESS}. Téléphone : {PHONE}.",
        "Le conseiller {PERSON} a promis un remboursement sous huit jours.",
        "Rendez-vous fixé au {DATE} dans nos locaux de {CITY}.",
        "Pour toute question, écrivez-nous à {EMAIL}.",
        "Je ne comprends pas pourquoi {ORG} a encore prélevé mon compte {IBAN}.",
        "Votre carte bancaire se terminant par {CARD} a été débitée deux fois.",
        "Les journaux montrent des accès répétés depuis {IPV4} et {IPV6}.",
        "Je suis {FIRST}, cliente fidèle depuis {DATE}, et je suis déçue.",
        "Vérifiez mon dossier, numéro de sécurité sociale {NIR}, svp.",
        "Entreprise {ORG} — SIREN {SIREN} — siège à {CITY}.",
        "Ma fille {FIRST} {LAST} est née le {DATE} à la maternité de {CITY}.",
        "Le lien {URL} renvoie une erreur 404 depuis hier.",
        "Appelez-moi plutôt sur mon portable : {PHONE}.",
        "Je vous transmets la copie de ma carte d'identité n° {CNI}.",
        "Mon voisin, {PERSON}, a reçu mon colis par erreur au {ADDRESS}.",
        "La facture de {ORG} datée du {DATE} comporte une erreur.",
        "Nous avons déménagé à {CITY} ; merci de mettre à jour mon adresse : {ADDRESS}.",
        "Monsieur {LAST} n'a jamais reçu le mail envoyé à {EMAIL}.",
        "Numéro SIRET à indiquer sur le bon de commande : {SIRET}.",
        "Franchement, l'équipe de {ORG} à {CITY} a été parfaite.",
        "Dossier de {PERSON} (tél. {PHONE}) transmis au service juridique le {DATE}.",
        "Passeport français {PASSPORT}, délivré à {CITY}.",
        "Le technicien est passé chez {PERSON} sans prévenir.",
        "Je vis en {COUNTRY} depuis {DATE} et le service ne fonctionne pas ici.",
    ],
    "en": [
        "Following our call, {PERSON} would like to cancel the subscription.",
        "Billing address: {ADDRESS}. Phone: {PHONE}.",
        "The agent, {PERSON}, promised a refund within eight days.",
        "Appointment booked for {DATE} at our {CITY} office.",
        "For any question, email us at {EMAIL}.",
        "I don't understand why {ORG} charged my account {IBAN} again.",
        "Your card ending {CARD} was charged twice.",
        "Logs show repeated access from {IPV4} and {IPV6}.",
        "I'm {FIRST}, a loyal customer since {DATE}, and I'm disappointed.",
        "Company {ORG} is headquartered in {CITY}.",
        "My daughter {FIRST} {LAST} was born on {DATE} in {CITY}.",
        "The link {URL} has returned a 404 error since yesterday.",
        "Call me on my mobile instead: {PHONE}.",
        "My neighbour, {PERSON}, received my parcel by mistake at {ADDRESS}.",
        "The invoice from {ORG} dated {DATE} contains a mistake.",
        "We moved to {CITY}; please update my address to {ADDRESS}.",
        "Ms. {LAST} never received the email sent to {EMAIL}.",
        "Honestly, the team at {ORG} in {CITY} was perfect.",
        "Case of {PERSON} (tel. {PHONE}) forwarded to legal on {DATE}.",
        "The technician visited {PERSON} without any notice.",
        "I have lived in {COUNTRY} since {DATE} and the service does not work here.",
        "Attached is a scan of my French ID card, number {CNI}.",
        "{FIRST} from accounting asked whether {ORG} received the payment.",
        "Please send the contract to {PERSON}, {ADDRESS}, before {DATE}.",
        "Refund to card {CARD}, or to IBAN {IBAN} if the card has expired.",
    ],
}

# Sentences that trip naive detectors: names that are also common words,
# French addresses written the French way, numbers that look like phones
# or cards but are not.
FORMER_HARD: dict[str, list[str]] = {
    "fr": [
        "La pierre est tombée du mur pendant la nuit.",
        "J'ai parlé avec [[PERSON|Pierre]] hier, il rappellera demain.",
        "[[PERSON|Rose]] a commandé des roses pour la fête des mères.",
        "Le montant dû est de 1 234 567,89 euros, à régler sous 30 jours.",
        "Référence de commande : 2024-0612-3456, à rappeler dans vos échanges.",
        "Version 10.12.14.16 du logiciel installée sur tous les postes.",
        "Siège social : [[LOCATION|10 rue de Penthièvre, 75008 Paris]].",
        "Livraison au [[LOCATION|3 bis, avenue du Général de Gaulle, 94700 Maisons-Alfort]]"
        " demain.",
        "Le code promo 0612 ne fonctionne plus depuis le 1er du mois.",
        "Mon colis porte le numéro de suivi 6A12345678901, il est bloqué.",
        "Il a fait 12 000 pas et parcouru 8,5 km ce matin.",
        "Le virement de 450,00 € a été effectué sur le compte.",
        "[[PERSON|Marie Dupont]] habite [[LOCATION|Lyon]] et travaille chez"
        " [[ORGANIZATION|Dupont et Fils]].",
        "Contactez le service au 3949 ou sur le site officiel.",
        "[[PERSON|Jean]] est venu le [[DATE|3 janvier 2024]] avec sa sœur.",
        "L'article 24 du RGPD et la loi du [[DATE|6 janvier 1978]] s'appliquent.",
        "Appelez [[PERSON|Olivier Martin]] au [[PHONE|+33 6 12 34 56 78]] avant midi.",
        "Il y avait 1 500 personnes et 32 exposants au salon.",
    ],
    "en": [
        "The rose garden was closed for the winter.",
        "I spoke with [[PERSON|Rose]] yesterday, she will call back tomorrow.",
        "[[PERSON|Hope]] said there is still hope for the project.",
        "The amount due is 1,234,567.89 dollars, payable within 30 days.",
        "Order reference 2024-0612-3456, please quote it in your reply.",
        "Version 10.12.14.16 of the software is installed on every machine.",
        "Headquarters: [[LOCATION|1600 Pennsylvania Avenue, Washington, DC 20500]].",
        "Our tracking number is 1Z999AA10123456784 and the parcel is stuck.",
        "I walked 12,000 steps and 8.5 miles this morning.",
        "[[PERSON|Bill]] paid the bill on [[DATE|March 3, 2024]].",
        "Section 3.2.1 of the agreement covers 250 licences.",
        "[[PERSON|Mark Johnson]] lives in [[LOCATION|Chicago]] and works for"
        " [[ORGANIZATION|Acme Corp]].",
        "The meeting is in room 402 on floor 14 at 3:30 pm.",
        "Call [[PERSON|Grace Miller]] at [[PHONE|+1 (212) 555-0198]] before noon.",
        "There were 1500 people and 32 exhibitors at the fair.",
        "Please mark the box as fragile and handle with grace.",
    ],
}
