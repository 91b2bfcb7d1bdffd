"""The thesaurus benchmark's comparison: a synonym table swapped in for a block of searches, then restored."""

from benchmarks.thesaurus import VARIANTS, synonym_table, tables, timing_rows
from search.query.expansion import synonyms


def test_synonym_tables_hold_only_within_their_block():
    assert "pkw" in synonyms("auto")
    with synonym_table({"auto": ("automobil",)}):
        assert synonyms("auto") == ("automobil",)
        assert synonyms("obdachlos") == ()
    assert "pkw" in synonyms("auto")
    assert synonyms("obdachlos") == ("wohnungslos",)


def test_the_two_variants_differ_by_the_generated_synonyms_only():
    domain, both = (tables()[name] for name in VARIANTS)
    assert "obdachlos" not in domain and both["obdachlos"] == ("wohnungslos",)
    assert both["auto"][:len(domain["auto"])] == domain["auto"]


def test_timing_rows_give_median_p90_and_total():
    rows = timing_rows({"a": [0.001 * n for n in range(1, 11)]})
    assert rows[2] == "| a | 10 | 5.5 | 10.0 | 0.06 |"
