"""Capitalised words the NER model takes for names, places or organisations
and that are none of them.

Read on real text (issue 16: French business documents and interviews,
English tweets and comments), most of what the model tagged wrongly falls in
four kinds, each recognised here by its shape and a dictionary
(``lexicon.py``), never by a list of the words met:

- **an everyday word capitalised because it starts a sentence or a line**:
  "Partenariat avec le cabinet…", "Collaboration avec…", "Constat: délai
  moyen…". The span is one everyday word of the text's language (or starts
  with one and goes on in lower case: "Infrastructure zéro incident"), a noun
  or an adjective, as a place or an organisation; as a person only when the
  word is a verb and no noun ("Organiser sessions…"), since surnames are
  often nouns ("Fontaine", "Marchand") and a person is what must never leak.
  One everyday word alone is what an organisation named by a common noun
  also looks like ("Carrefour a annoncé…"): it is taken for a word only
  before a preposition, a colon or the end of the line, where a heading's
  noun stands; there such a name is left readable (docs/redaction.md).
- **a heading or an emphasis in capitals**: "RÉORGANISATION DÉPARTEMENTS",
  "Criticité: FAIBLE", "this is AWESOME": every word in capitals and an
  everyday word (in English an adjective, adverb or verb: the English
  dictionary lists acronyms such as NASA and FBI as nouns).
- **chat words**: slang abbreviations ("lol", "omg", "wtf"), and words with
  a letter drawn out ("YASSSS", "Awwww", "LOLOLOL"), which no name has.
- **the department of a job title**: "VP Engineering", "Head of Sales": a
  position (``roles.py`` redacts it next to a person), not a name.

Forms and minutes add a few shapes (issue 16, fourth round): the adjective
value of a field ("Statut : Conforme"), a field's name before its colon
("Agence retenue :"), an English word heading a French line before a colon
("Timeline :"), a team heading its people in brackets ("Support (M. Dubois)")
or named after "l'équipe", words of the trade in camel case (``JARGON``), and
a known product the model took for a person (``products.py``). Known
surnames (``gazetteer.last_names``) stay names in the team rules.
"""

from __future__ import annotations

import re

from gardien.redact.gazetteer import common_words, last_names
from gardien.redact.lexicon import parts_of_speech
from gardien.redact.products import is_product, named_as_company
from gardien.redact.span import LOCATION, ORGANIZATION, PERSON


def _wordset(words: str) -> frozenset[str]:
    """The whitespace-separated words of ``words`` (keeps long lists readable)."""
    return frozenset(words.split())


#: Abbreviations of chat and comments; none is a name.
SLANG = _wordset(
    """
    lol lmao lmfao rofl omg omfg wtf wth idk idc ikr smh tbh ngl imo imho fyi btw brb afk
    irl jk lmk nvm fml ffs yolo gg ty thx pls plz af rip smfh stfu gtfo bff bc cuz tho
    altho ya yall y'all kinda gonna wanna gotta dunno lemme gimme ok okay haha hahaha lel
    """
)
#: Words of the technology trade written in camel case: practices, sectors and
#: languages, which no company or person is named by alone ("passage en
#: DevOps", "une startup de la FinTech"). Brands written so stay names
#: ("GitLab", "TechCorp"); this is the trade's common vocabulary, not a list
#: of names met.
JARGON = _wordset(
    """
    devops devsecops secops finops mlops dataops gitops aiops noops bizdevops netops
    fintech edtech medtech legaltech insurtech proptech greentech cleantech biotech healthtech
    regtech adtech martech foodtech govtech agritech deeptech
    javascript typescript coffeescript powershell wifi ecommerce saas paas iaas faas
    nosql graphql oauth openid webhook webhooks backend frontend fullstack bizdev sysadmin
    """
)
# A letter written three times in a row ("Awww", "YASSS"), or a two-letter
# unit written three times ("LOLOLOL", "hahaha"): no name is spelt that way.
_DRAWN_OUT = re.compile(r"([^\W\d_])\1\1|([^\W\d_]{2})\2\2", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][^\W\d_'’\-]*")
# Where a capital says nothing: the start of a line (after a list marker or a
# number such as "2." or "1.3"), and after the end of a sentence or an opening
# bracket. Not after a quote, which is how titles are written ("le journal
# "Libération""), nor after a colon, how forms give a name ("Client: Orange").
_LINE_HEAD = re.compile(r"[ \t]*(?:[-*•✓>]|\d+(?:\.\d+)*[.)]?)?[ \t]*")
_AFTER_PUNCTUATION = re.compile(r"[.!?;(][ \t]*(?:[-*•✓>][ \t]*)?$")
# What follows a heading's noun: a preposition or an article, a colon, a
# bracket, a dash, or the end of the line.
_HEADING_NEXT = re.compile(
    r"[ \t]*(?:$|\n|[:(\-–—]|(?i:avec|de|du|des|d'|d’|en|pour|sur|à|au|aux|par|entre|dans"
    r"|with|of|for|on|in|at|by|between|to|the|le|la|les|l'|l’|un|une)\b)"
)
_AFTER_COLON = re.compile(r":[ \t]*$")
_TEAM_BEFORE = re.compile(r"\b(?i:équipe|team)[ \t]+$")
# The rest of a field's name: one lower-case word and a colon ("Agence
# retenue :", "Budget prévu :").
_FIELD_NAME_NEXT = re.compile(r"[ \t]+[a-zà-ÿ][\w'’\-]*[ \t]*:")
_LOWER_NEXT = re.compile(r"[ \t]+[a-zà-ÿ]")
# English job titles whose next capitalised words name a department or a
# region ("VP Engineering", "Head of Sales"). Not the French "directeur de",
# which is as often followed by the company ("directrice de Wavestone").
_TITLE_BEFORE = re.compile(
    r"\b(?:VP|SVP|EVP|AVP|Vice[ -]President(?:\s+of)?|Head\s+of|Director\s+of)[ \t]+$"
)
_TAGS = {PERSON, LOCATION, ORGANIZATION}
# The value of a form's field: after a colon (``_AFTER_COLON``), up to the end of
# the line or a punctuation mark ("Politique de sécurité : Conforme", "Status: Complete").
_AFTER_FIELD_NAME = re.compile(r"[ \t]*:")
_FIELD_AFTER = re.compile(r"[ \t]*(?:$|\n|[.,;)!?])")
# A person written in brackets after a word: "Support (M. Maxime Dubois)",
# "Engineering (contact : Mme Lee)". The titles are written out here, not
# imported, so that this module stays free of the recognizers.
_PERSON_IN_BRACKETS = re.compile(
    r"[ \t]*\([ \t]*(?i:(?:contact|responsable|lead|manager)[ \t]*:?[ \t]*)?"
    r"(?:M|MM|Mme|Mlle|Me|Dr|Pr|Mr|Mrs|Ms|Maître|Madame|Monsieur)\.?[ \t]+[A-ZÀ-Þ]"
)


def is_jargon(word: str) -> bool:
    """A word of the technology trade (``JARGON``), in any case."""
    return word.casefold() in JARGON


def is_chat_word(word: str) -> bool:
    """A slang abbreviation or a word with a letter drawn out."""
    return word.casefold() in SLANG or _DRAWN_OUT.search(word) is not None


def is_shouted_word(word: str, lang: str, label: str | None = None) -> bool:
    """An everyday word written in capitals (four letters or more, so that
    acronyms such as ABC stay names): in
    English, or as a person's name, an adjective, adverb or verb (the English
    dictionary lists acronyms such as NASA as nouns; surnames are often
    nouns: "MARTIN", "FONTAINE"); otherwise any word of the dictionary."""
    if len(word) < 4 or not word.isupper():
        return False
    pos = parts_of_speech(word, lang)
    return bool(pos - {"noun"}) if lang == "en" or label == PERSON else bool(pos)


def starts_sentence(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    if _LINE_HEAD.fullmatch(text, line_start, start):
        return True
    if _AFTER_PUNCTUATION.search(text, line_start, start) is not None:
        return True
    # After a colon, a sentence that goes on in lower case ("Weber:
    # Collaboration avec…", "Bilan: Infrastructure zéro incident"), not the
    # value of a field ("Client: Orange").
    return _AFTER_COLON.search(text, line_start, start) is not None and (
        " " in text[start:end].strip() or _LOWER_NEXT.match(text, end) is not None
    )


def all_everyday(value: str, langs: tuple[str, ...]) -> bool:
    """Every word of ``value`` is a word of one of ``langs``' dictionaries,
    a stop word, or written in capitals as an everyday word."""
    words = _WORD.findall(value)
    stop = common_words()
    return bool(words) and all(
        w.casefold() in stop or any(parts_of_speech(w, lang) for lang in langs) for w in words
    )


def _is_sentence_word(
    text: str, start: int, end: int, words: list[str], label: str, lang: str
) -> bool:
    """One everyday word, capitalised only because a sentence starts with it,
    and lower-case words after it."""
    first, rest = words[0], words[1:]
    if not first[:1].isupper() or not first[1:].islower() or any(w[:1].isupper() for w in rest):
        return False
    if not starts_sentence(text, start, end):
        return False
    pos = parts_of_speech(first, lang)
    if label == PERSON:
        return "verb" in pos and "noun" not in pos
    # One word alone names a company as often ("Carrefour a annoncé…",
    # "Total a publié…"): it is taken for a word only where a heading's noun
    # stands, before a preposition, a colon or the end of the line
    # ("Partenariat avec…", "Constat : …"), never before a verb.
    if (
        not rest
        and _HEADING_NEXT.match(text, end) is None
        and not _FIELD_NAME_NEXT.match(text, end)
    ):
        return False
    if lang != "en" and not pos and not rest and _opens_a_field(text, start, end):
        # French business writing heads its lines with English words too
        # ("Timeline : démarrage…", "Firewalls : conformes"): one word that
        # is no French word but an English one, heading its line before a
        # colon. Only there: the English dictionary also holds places
        # ("lexington"), which a French sentence names anywhere else.
        pos = parts_of_speech(first, "en")
    return bool(pos & {"noun", "adj"}) if lang != "en" else bool(pos) and "noun" not in pos


def _opens_a_field(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` opens its line (after a list marker) and a colon follows."""
    line_start = text.rfind("\n", 0, start) + 1
    return (
        _LINE_HEAD.fullmatch(text, line_start, start) is not None
        and _AFTER_FIELD_NAME.match(text, end) is not None
    )


def is_team_name(text: str, start: int, end: int, lang: str) -> bool:
    """One everyday word of the text's language right after "équipe" or
    "team" ("l'équipe Cloud", "team Support"): a team, not a company or a
    place. "l'équipe de Dupuis" names one; a known surname stays a name."""
    value = text[start:end]
    if len(value.split()) != 1 or _TEAM_BEFORE.search(text, max(0, start - 12), start) is None:
        return False
    if value.casefold() in last_names():
        return False
    pos = parts_of_speech(value, lang)
    # The English dictionary lists people and places among its nouns
    # ("cousteau"): there only a word that is also a verb or an adjective.
    return bool(pos - {"noun"}) if lang == "en" else bool(pos)


def _is_field_value(text: str, start: int, end: int, words: list[str], lang: str) -> bool:
    """One word of the language that is no noun (an adjective, a participle,
    an adverb), alone as the value of a form's field: "Statut : Conforme",
    "Status: Complete". Places and companies are named by nouns."""
    if len(words) != 1 or _FIELD_AFTER.match(text, end) is None:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    if _AFTER_COLON.search(text, line_start, start) is None:
        return False
    pos = parts_of_speech(words[0], lang)
    return bool(pos) and "noun" not in pos


def _is_section_of_people(text: str, end: int, value: str, lang: str) -> bool:
    """One everyday word followed by a person in brackets, as minutes list
    teams and sections with their people: "Support (M. Maxime Dubois)",
    "Engineering (Mme Laura Chen)". French documents write English words
    for them too. A company named so is left to the weak supplier-list cue;
    a known surname stays a name ("Rousseau (Mme Lina Roy)": surnames are
    often words)."""
    return (
        len(value.split()) == 1
        and _PERSON_IN_BRACKETS.match(text, end) is not None
        and value.casefold() not in last_names()
        and all_everyday(value, (lang, "en"))
    )


def not_a_name(text: str, start: int, end: int, label: str, lang: str) -> bool:
    """``text[start:end]``, tagged ``label`` by the model, is an everyday word,
    a heading, a chat word or a department, not a name."""
    if label not in _TAGS:
        return False
    words = _WORD.findall(text[start:end])
    if not words:
        return False
    stop = common_words()
    # Chat words and shouted everyday words, with stop words between them
    # ("NEVER buy", "SO WOW"): at least one word must be chat or shouted, so
    # that a name made of stop words alone ("The Who") stays; a shouted word
    # that is also a stop word or a word of the lists ("FAIBLE", "NEVER")
    # counts as shouted.
    shouted = [is_chat_word(w) or is_jargon(w) or is_shouted_word(w, lang, label) for w in words]
    if any(shouted) and all(
        loud or w.casefold() in stop for w, loud in zip(words, shouted, strict=True)
    ):
        return True
    if _TITLE_BEFORE.search(text, max(0, start - 40), start) and all(
        w[:1].isupper() for w in words
    ):
        return True
    if label == PERSON and is_product(text[start:end]) and not named_as_company(text, start):
        return True
    if label != LOCATION and _is_section_of_people(text, end, text[start:end], lang):
        return True
    if label != PERSON and is_team_name(text, start, end, lang):
        return True
    if label != PERSON and _is_field_value(text, start, end, words, lang):
        return True
    return _is_sentence_word(text, start, end, words, label, lang)
