"""OpenThesaurus's synonyms: the shipped file (source, licence, format), the senses it keeps and rejects, names left
alone, how it is read and merged after the domain list, and how tools/thesaurus.py filters OpenThesaurus."""

from datetime import date
from importlib import resources

import pytest
from whoosh import query as wq

from search.german.thesaurus import GENERATED_THESAURUS, merge_synonyms, read_stem_lists
from search.query.expansion import synonyms, word_query
from search.weights import Weights
from tools.thesaurus import (
    COLLOQUIAL_NOUN,
    NOUN,
    OTHER,
    Counts,
    Entry,
    Limits,
    Source,
    choose_synonyms,
    plain_words,
    render,
    stem_groups,
)

SHIPPED = resources.files("search.german").joinpath("data", GENERATED_THESAURUS).read_text(encoding="utf-8")


def test_the_shipped_file_names_source_version_licence_and_how_to_make_it_again():
    header = [line for line in SHIPPED.splitlines() if line.startswith("#")]
    text = "\n".join(header)
    assert header[0].startswith("# Synonyme aus OpenThesaurus (https://www.openthesaurus.de), Fassung 20160424 ")
    assert "LGPL-2.1-or-later" in text
    assert "openthesaurus.LICENSE" in text
    licence = resources.files("search.german").joinpath("data", "openthesaurus.LICENSE").read_text(encoding="utf-8")
    assert "GNU LESSER GENERAL PUBLIC LICENSE\n                       Version 2.1, February 1999" in licence
    assert "Daniel Naber" in text
    assert "tools/thesaurus.py" in text
    assert "SHA-256 " in text


def test_the_shipped_file_is_stems_with_at_most_four_synonyms_each_never_the_stem_itself():
    lists = read_stem_lists(SHIPPED)
    assert len(lists) > 500
    assert max(len(others) for others in lists.values()) == 4
    assert [stem for stem, others in lists.items() if stem in others] == []
    assert lists["obdachlos"] == ("wohnungslos",)
    # Stems as the analyzer makes them: no capitals, no umlauts (Snowball folds them).
    assert all(word == word.lower() and not set(word) & set("äöüß") for stem, others in lists.items()
               for word in (stem, *others))


@pytest.mark.parametrize(
    ("stem", "synonym"),
    [
        ("obdachlos", "wohnungslos"),  # Obdachloser → Wohnungsloser
        ("wohnungslos", "obdachlos"),
        ("tresor", "geldschrank"),
        ("polizeiauto", "streifenwag"),  # Polizeiauto → Streifenwagen
        ("drogenhandl", "rauschgifthandl"),  # Drogenhandel → Rauschgifthandel
        ("brandleg", "brandstift"),  # Brandlegung → Brandstiftung
        ("streit", "auseinandersetz"),  # Streit → Auseinandersetzung
        ("lkw", "lastzug"),  # from both lists
        ("auto", "pkw"),  # the domain list's, still first
        # Everyday nouns (ugs.) that people type and releases use too.
        ("demo", "demonstration"),
        ("knast", "justizvollzugsanstalt"),
        ("geisterfahr", "falschfahr"),
        ("langfing", "taschendieb"),  # Langfinger → Taschendieb
    ],
)
def test_senses_of_press_releases_are_kept(stem, synonym):
    assert synonym in synonyms(stem)


@pytest.mark.parametrize(
    ("stem", "rejected", "why"),
    [
        ("polizist", "bull", "Bulle is marked ugs."),
        ("polizist", "polyp", "Polyp is marked derb"),
        ("wach", "ansprechbar", "the releases write Wache, a noun; ansprechbar is in the group of wach (awake)"),
        ("gewalt", "heftig", "Gewalt is a noun in the releases; heftig is in the group of gewaltig"),
        ("fall", "sturz", "Fall and Sturz meet in releases hardly more often than chance (1.3 times)"),
        ("anzeig", "annonc", "Anzeige is a criminal complaint in the releases: together with Annonce in two only"),
        ("anzeig", "inserat", "together with Inserat in one release"),
        ("flucht", "entkomm", "Flucht and Entkommen meet 2.6 times as often as chance, below 3"),
        ("klein", "baby", "Kleines (ugs.) is a baby, but the releases write klein mostly as an adjective"),
        ("leich", "gefall", "Leiche and Gefallener (a soldier) meet in four releases only, below five"),
    ],
)
def test_senses_press_releases_do_not_use_are_rejected(stem, rejected, why):
    assert rejected not in synonyms(stem), why


@pytest.mark.parametrize(
    "stem",
    [
        "mitt",  # Mitte, the Berlin district (OpenThesaurus: Mitte; Zentrum; Mittelpunkt)
        "berlin", "frankfurt", "kreuzberg", "neukolln", "potsdam",  # Potsdamer Straße
        "hauptstrass",  # OpenThesaurus: Hauptstraße; Magistrale
        "landstrass", "alle", "sonnenalle", "platz", "weg",  # Allee; Baumstraße
    ],
)
def test_place_and_street_names_bring_no_synonyms(stem):
    assert synonyms(stem) == ()


def test_a_generated_synonym_is_searched_in_the_body_only_below_the_typed_word():
    q = word_query("obdachlos", "Obdachloser", Weights())
    terms = [(t.fieldname, t.text, t.boost) for t in q.leaves() if isinstance(t, wq.Term) and t.text == "wohnungslos"]
    assert terms == [("body", "wohnungslos", Weights().synonym)]
    assert Weights().synonym < 1.0


@pytest.mark.parametrize(
    ("typed", "stem"),
    [
        # Streets are searched whole, with no parts: the splitter reads these as Sees + Trasse, Junghofs + Trasse.
        ("Seestraße", "seestrass"),
        ("Junghofstraße", "junghofstrass"),
        ("Raumerstraße", "raumerstrass"),  # and Raum's synonyms (Zimmer) are not searched
    ],
)
def test_a_street_name_is_searched_whole(typed, stem):
    assert "zimm" in synonyms("raum")
    body = {t.text for t in word_query(stem, typed, Weights()).leaves() if isinstance(t, wq.Term)
            and t.fieldname == "body"}
    assert body == {stem}


@pytest.mark.parametrize(
    ("typed", "stem", "found"),
    [
        # Words that merely end like a street (-ufer, -weg) get OpenThesaurus's synonyms like any other word.
        ("Käufer", "kauf", {"kauf", "erwerb", "abnehm", "kund"}),
        ("gering", "gering", {"gering", "schwach"}),
        ("Radweg", "radweg", {"radweg", "fahrradweg"}),
        # A compound that is no name is split, and its parts bring OpenThesaurus's synonyms (Raumpfleger: Zimmer).
        ("Raumpfleger", "raumpfleg", {"raum", "zimm", "gebiet"}),
    ],
)
def test_a_word_that_merely_ends_like_a_street_gets_its_openthesaurus_synonyms(typed, stem, found):
    body = {t.text for t in word_query(stem, typed, Weights()).leaves() if isinstance(t, wq.Term)
            and t.fieldname == "body"}
    assert found <= body


def test_stem_lists_are_read_and_a_bad_line_is_refused_with_its_number():
    assert read_stem_lists("# Kopf\n\nobdachlos\twohnungslos\ntresor\tgeldschrank,safe\n") == {
        "obdachlos": ("wohnungslos",), "tresor": ("geldschrank", "safe")}
    for line in ("obdachlos wohnungslos", "obdachlos\t", "tresor\tgeldschrank,,safe", "\tsafe"):
        with pytest.raises(ValueError) as error:
            read_stem_lists("# Kopf\n" + line)
        assert str(error.value) == (f"openthesaurus.txt, Zeile 2: erwartet „Stamm<Tab>Stamm,Stamm“, "
                                    f"nicht „{line}“.")


def test_the_domain_list_comes_first_and_the_generated_synonyms_add_only_what_it_lacks():
    domain = {"auto": ("pkw", "wag"), "pkw": ("auto", "wag")}
    generated = {"auto": ("pkw", "automobil", "auto"), "tresor": ("geldschrank",)}
    assert merge_synonyms(domain, generated) == {
        "auto": ("pkw", "wag", "automobil"), "pkw": ("auto", "wag"), "tresor": ("geldschrank",)}


# ---- tools/thesaurus.py: from OpenThesaurus's lines to the file ------------------------------------------------


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("Automobil;Auto (Hauptform);fahrbarer Untersatz (ugs.);Blechbüchse (ugs.);Pkw;Motorwagen (veraltet)",
         ["Automobil", "Auto", "Blechbüchse*", "Pkw"]),
        ("Herr in Grün (ugs.);Polyp (derb);Polizist (Hauptform);Schupo (ugs., veraltet);Ordnungshüter",
         ["Polizist", "Ordnungshüter"]),
        ("Kripo (ugs.);Kriminalpolizei", ["Kripo*", "Kriminalpolizei"]),
        ("(sich) verletzen;verwunden;(sich) etwas tun", ["verletzen", "verwunden"]),
        ("klauen (ugs.);stehlen;mopsen (ugs., scherzhaft)", ["stehlen"]),  # everyday verbs are too vague
        ("Tafernwirtschaft (veraltet);Gaststätte (Hauptform);Beiz (ugs., schweiz.);Kneipe;Lokal",
         ["Gaststätte", "Kneipe", "Lokal"]),
        ("A5;Autobahn 5", []),
    ],
)
def test_only_single_words_of_the_standard_register_and_everyday_nouns_are_read(line, words):
    """A star marks an everyday word (ugs.)."""
    assert plain_words(line) == [Entry(word.rstrip("*"), word.endswith("*")) for word in words]


@pytest.mark.parametrize(
    ("words", "names", "group"),
    [
        (["Mitte", "Zentrum", "Mittelpunkt"], {"mitt"}, {"zentrum": NOUN, "mittelpunkt": NOUN}),
        (["Hauptstraße", "Magistrale"], set(), None),  # a street name: the group has one word left
        (["Allee", "Baumstraße"], set(), None),
        (["Platz", "Fläche"], set(), None),  # a name's last word on its own: Alexanderplatz is no Fläche
        (["Käufer", "Kunde"], set(), {"kauf": NOUN, "kund": NOUN}),  # no -ufer
        (["Gehweg", "Bürgersteig"], set(), {"gehweg": NOUN, "burgersteig": NOUN}),
        (["Lage", "Situation"], set(), None),  # lag stands for Lage, lag, lagern
        (["BAB", "Autobahn"], set(), {"bab": NOUN, "autobahn": NOUN}),  # an abbreviation in capitals stays
        (["gewaltig", "heftig"], set(), {"gewalt": OTHER, "heftig": OTHER}),
        (["Knast*", "Gefängnis"], set(), {"knast": COLLOQUIAL_NOUN, "gefangnis": NOUN}),
    ],
)
def test_names_streets_and_short_stems_leave_the_groups(words, names, group):
    entries = [Entry(word.rstrip("*"), word.endswith("*")) for word in words]
    assert stem_groups([entries], names) == ([group] if group else [])


def _counts(holding: dict[str, range], capitalised: dict[str, float]) -> Counts:
    """1,000 releases; each stem once in each release `holding` names, that share of them with a capital (none if
    not in `capitalised`)."""
    counts = Counts(total=1000)
    for stem, numbers in holding.items():
        counts.holding[stem] = set(numbers)
        counts.occurrences[stem] = len(numbers)
        counts.capitalised[stem] = round(len(numbers) * capitalised.get(stem, 0.0))
    return counts


def test_a_pair_is_kept_when_the_releases_confirm_its_sense():
    groups = [
        {"wach": NOUN, "polizeiwach": NOUN, "revi": NOUN},  # Wache, Polizeiwache, Revier
        {"wach": OTHER, "ansprechbar": OTHER},  # wach (awake), ansprechbar
        {"fall": NOUN, "sturz": NOUN},
        {"anzeig": NOUN, "annonc": NOUN},
        {"unfall": NOUN, "ereignis": NOUN},
        {"betrunk": OTHER, "alkoholisiert": OTHER},  # der Betrunkene, betrunken: both kinds
        {"klein": COLLOQUIAL_NOUN, "baby": NOUN},  # Kleines (ugs.), but klein is mostly an adjective
    ]
    counts = _counts({
        "wach": range(0, 10), "polizeiwach": range(0, 8), "revi": range(5, 15), "ansprechbar": range(0, 6),
        "fall": range(0, 200), "sturz": range(190, 240),  # together in 10: as often as chance
        "anzeig": range(100, 130), "annonc": range(128, 133),  # together in 2
        "unfall": range(0, 10), "ereignis": range(0, 1000),  # in every release: too common to search
        "betrunk": range(300, 340), "alkoholisiert": range(300, 330),
        "klein": range(400, 440), "baby": range(400, 420),
    }, capitalised={"wach": 0.9, "polizeiwach": 1, "revi": 1, "fall": 1, "sturz": 1, "anzeig": 1, "annonc": 1,
                    "unfall": 1, "ereignis": 1, "betrunk": 0.5, "klein": 0.5, "baby": 1})
    assert choose_synonyms(groups, counts, Limits()) == {
        "alkoholisiert": ["betrunk"], "betrunk": ["alkoholisiert"],
        "polizeiwach": ["wach"], "revi": ["wach"], "wach": ["polizeiwach", "revi"]}


def test_a_word_keeps_its_most_associated_synonyms_only():
    names = ("tresor", "geldschrank", "safe", "panzerschrank", "stahlkammer", "kass")
    counts = _counts({"tresor": range(0, 10), "geldschrank": range(0, 10), "safe": range(0, 12),
                      "panzerschrank": range(0, 14), "stahlkammer": range(0, 16), "kass": range(0, 18)},
                     capitalised=dict.fromkeys(names, 1.0))
    assert choose_synonyms([dict.fromkeys(names, NOUN)], counts, Limits(most=2))["tresor"] == ["geldschrank", "safe"]


def test_the_rendered_file_reads_back_with_its_header():
    chosen = {"obdachlos": ["wohnungslos"], "tresor": ["geldschrank", "safe"]}
    text = render(chosen, Source("20160424 (Test)", "ab" * 32), Limits(), 37651, date(2026, 11, 30))
    assert read_stem_lists(text) == {"obdachlos": ("wohnungslos",), "tresor": ("geldschrank", "safe")}
    assert text.splitlines()[0] == ("# Synonyme aus OpenThesaurus (https://www.openthesaurus.de), "
                                    "Fassung 20160424 (Test),")
    assert f"# Datei openthesaurus.txt mit SHA-256 {'ab' * 32}." in text
    assert "höchstens 4 Synonyme je Wort." in text
    assert "(gefiltert und auf Stämme gebracht am\n# 2026-11-30)" in text
