"""The thesaurus benchmark's comparison: a synonym table swapped in for a block of searches, then restored."""

from benchmarks.thesaurus import VARIANTS, synonym_tables, tables, timing_rows
from search.query.expansion import synonyms


def test_synonym_tables_hold_only_within_their_block():
    assert "pkw" in synonyms("auto")
    with synonym_tables({"auto": ("automobil",)}, {"auto": ("karre",)}):
        assert synonyms("auto") == ("automobil",)
        assert synonyms("auto", domain_only=True) == ("karre",)
        assert synonyms("obdachlos") == ()
    assert "pkw" in synonyms("auto") and "pkw" in synonyms("auto", domain_only=True)
    assert synonyms("obdachlos") == ("wohnungslos",)


def test_the_two_variants_differ_by_the_generated_synonyms_only():
    (domain, domain_names), (both, both_names) = (tables()[name] for name in VARIANTS)
    assert "obdachlos" not in domain and both["obdachlos"] == ("wohnungslos",)
    assert both["auto"][:len(domain["auto"])] == domain["auto"]
    assert domain_names == both_names == domain


def test_timing_rows_give_median_p90_and_total():
    rows = timing_rows({"a": [0.001 * n for n in range(1, 11)]})
    assert rows[2] == "| a | 10 | 5.5 | 10.0 | 0.06 |"
