"""The closed word classes the phrase reader needs in every language at once: name particles, prepositions,
clitics, relative pronouns, time words, the endings of jobs and participles, and the limits of a phrase.

Open word classes (speech verbs, titles, institutions…) are per language in :mod:`briefgen.lexicon`.
"""

from __future__ import annotations

from briefgen.lexicon import normalise


def _words(text: str) -> frozenset[str]:
    """Words as tokens are compared: normalised ("für" → "fur", "à" → "a")."""
    return frozenset(normalise(word) for word in text.split())


PARTICLES = _words("de da del dos das do van von der den ter bin ben al el la le lo di du della dalla dei degli "
                   "y e zu vom")
GENITIVES = _words("of de da do das dos del des du di della dello degli dei delle d von vom der")
# after a capitalised German title, these open its complement, not a name: "Sprecher der Deutschen Bahn"
ARTICLE_GENITIVES = _words("der des del della dello degli dei delle du do das dos")
CONNECTORS = GENITIVES | _words("for at in on by with para pour per für en em no na nos nas ao aos à au aux al nel "
                                "nella nei sul sulla dans auprès ante sobre presso bei beim am im zum zur par por "
                                "avec con com mit sur sous vers chez entre lors ai agli alle alla allo dal dalla "
                                "às pelo pela from aboard near hace há vor desde depuis "
                                "في على من إلى عن مع لدى أمام خلال عبر بعد قبل")  # Arabic: "قال ترامب في منشور"
PLACE_CONNECTORS = _words("in en em à a a nel in bei في")
INSTITUTION_LINKS = GENITIVES | _words("for für para pour per")  # "Landesamt für Umwelt"
CLITICS = _words("me te se nos os le les lo mi ti ci vi gli lhe lhes mir ihm uns m t s")  # m' = French "me"
RELATIVES = _words("who which whom que qui quien quienes cui che der die welche welcher")
TIME_WORDS = _words("""
monday tuesday wednesday thursday friday saturday sunday today yesterday tonight weekend week morning evening
lunes martes miercoles jueves viernes sabado domingo hoy ayer lundi mardi mercredi jeudi vendredi samedi dimanche
hier segunda terca quarta quinta sexta sabado hoje ontem montag dienstag mittwoch donnerstag freitag samstag
sonntag heute gestern lunedi martedi mercoledi giovedi venerdi domenica oggi ieri statement press conference
interview comunicado nota communique conferencia entrevista pressekonferenza mitteilung erklarung dichiarazione
ore uhr woche monat jahr tag abend morgen nachmittag vormittag anoche anteayer madrugada soir sera stasera noite
minutos minutes minuti minuten horas heures stunden hours dias jours giorni tagen days semana semanas semaine
semaines settimana settimane wochen weeks mes meses mois mesi monate months spring summer autumn fall winter
primavera verano otono invierno printemps ete automne hiver verao outono inverno fruhling sommer herbst estate
autunno
""")
MAX_APPOSITIVE = 16
# a job right before a name, when no title word is known: "forecaster Jane Roe", "analista", "Ökonomin"
AGENT_ENDINGS = ("er", "or", "ist", "ian", "eur", "euse", "ista", "iste", "ero", "era", "ador", "adora", "ologe",
                 "ologin", "logue", "logo", "loga", "logist", "trice", "tora", "tore", "ier", "iere", "ienne", "eira",
                 "eiro")
MAX_COMPLEMENT = 12  # words of a title's complement: "head of the basin's joint disease-surveillance unit"
MAX_DESCRIPTORS = 3  # words before a title: "senior European"
MAX_ADJECTIVES = 2  # after it: "diplomata europeu"
MAX_ADJUNCT_WORDS = 3  # lower-case words of an adjunct: "en una rueda de prensa", "in conferenza stampa"
MAX_DESCRIPTION = 10  # words of an unnamed source's description
MAX_COMPLEMENTS = 4  # genitives after an institution: "Autorité de sûreté nucléaire et de radioprotection"
# an adjective after an institution's name: "Commission européenne", "Banco Central", "Protezione civile"
ADJECTIVE_ENDINGS = ("al", "ale", "ais", "aise", "ien", "ienne", "een", "eenne", "el", "elle", "ique", "ica", "ico",
                     "ano", "ana", "ese", "es", "esa", "eiro", "eira", "ario", "aria", "ivo", "iva", "if", "ive",
                     "ense", "ista", "ile", "il", "ar", "are", "ari", "aire", "ero", "era", "ino", "ina", "ian", "ish",
                     "ary", "ain", "aine")
POSSESSIVES = _words("his her its their our my your son sa ses leur leurs notre nos mon ma mes su sus seu sua seus "
                     "suas nosso nossa sein seine seinen seinem ihr ihre ihren ihrem unser unsere suo suoi sue nostro "
                     "nostra mio mia")
CONTRACTIONS = frozenset({"à", "às"})  # prepositions that normalise to an article
ADVERB_ENDINGS = ("ly", "ment", "mente", "weise")


PARTICIPLE_ENDINGS = ("ing", "ed", "é", "ée", "és", "ées", "ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas",
                      "ato", "ata", "ati", "ate", "ito", "ita")


def participle(word: str) -> bool:
    """A sentence-initial participle in the languages read here ("Asked", "Interrogée", "Consultado", "Gefragt")."""
    lower = word.lower()
    return lower.endswith(PARTICIPLE_ENDINGS) or (lower.startswith("ge") and lower.endswith("t"))
