import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli import ExitStatus, cli
from search.store.schema import INDEX_VERSION
from tests.conftest import USABLE_FIXTURES

SAMPLE_ID = "000_9bbab4686f7edeba"


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(settings, *args):
        return runner.invoke(cli, ["--corpus", str(settings.corpus), "--index", str(settings.index), *args],
                             env={"PRESSE_LOCK_TIMEOUT": "0.2"})

    return invoke


def test_rebuild_prints_progress_and_summary(run, settings):
    result = run(settings, "rebuild")
    # The fixtures' leer.txt is skipped; like `add` and `sync`, `rebuild` then exits 2 (it said 0).
    assert result.exit_code == ExitStatus.USAGE_OR_SKIPPED, result.output
    files = USABLE_FIXTURES + 1
    progress, skipped, summary, end = result.stderr.split("\n")
    # The progress line is drawn again in place (\r) at most twice a second; how often depends on the machine's speed.
    first, *drawn = progress.removeprefix("\r").split("\r")
    assert first == f"0/{files} releases, ?/s, ? left"
    assert re.fullmatch(rf"{files}/{files} releases, *\d+\.\d\d/s, 00:00 left", drawn[-1]), drawn
    counts = [int(re.fullmatch(rf"(\d+)/{files} releases, *\d+\.\d\d/s, \d\d:\d\d left", line)[1]) for line in drawn]
    assert counts == sorted(counts)
    assert skipped == f"skipped {settings.corpus.resolve() / 'leer.txt'}: the file is empty"
    assert re.fullmatch(rf"Indexed {USABLE_FIXTURES} releases in \d+\.\d s; duplicates 0, skipped 1 files\.",
                        summary), summary
    assert end == ""
    assert result.stdout == ""


def test_the_readme_lists_every_exit_status():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    listed = re.search(r"Exit status: (.*?), 3 index busy", readme, re.DOTALL)
    assert listed, "the README's Command line section lists the exit statuses"
    assert [int(n) for n in re.findall(r"\b(\d) ", listed[0])] == [status.value for status in ExitStatus]


def test_rebuild_if_needed_skips_a_current_index(run, settings):
    assert run(settings, "rebuild", "--if-needed").exit_code == ExitStatus.USAGE_OR_SKIPPED  # leer.txt
    result = run(settings, "rebuild", "--if-needed")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Index is up to date ({USABLE_FIXTURES} releases); nothing to do.\n"


def test_search_json(run, built_settings):
    result = run(built_settings, "search", "Konferenzen Shenyang", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["query", "total", "page", "hits", "notes", "facets"]
    assert data["facets"] == {}  # the CLI asks for no facets
    assert (data["query"], data["total"], data["page"], data["notes"]) == ("Konferenzen Shenyang", 1, 1, [])
    hit = data["hits"][0]
    assert list(hit) == ["id", "title", "date", "source", "place", "code", "url", "score", "snippet", "versions",
                         "why"]
    assert hit["versions"] == []
    assert hit["why"] == [{"word": "Konferenzen", "how": "form", "found": "Konferenz"},
                          {"word": "Shenyang", "how": "typed", "found": ""}]
    assert (hit["id"], hit["date"], hit["source"]) == (SAMPLE_ID, "2025-09-11",
                                                        "Xinhua Silk Road Information Service (ots)")
    assert "<mark>Konferenz</mark>" in hit["snippet"] and "<mark>Shenyang</mark>" in hit["snippet"]


def test_search_text_output_and_paging(run, built_settings):
    result = run(built_settings, "search", "Leuchtturm", "--limit", "1", "--page", "2")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "3 Treffer, Seite 2 von 3"
    assert lines[2] == "  2. Sommerfest an der Hafeneinfahrt  [web_leuchtturm_fest]"
    assert lines[3] == "     2025-07-14 · Tourismusverein Nordkap"
    assert lines[4].startswith("     Zum Sommerfest gibt es Führungen durch den Leuchtturm")


def test_search_text_names_place_and_code(run, built_settings):
    result = run(built_settings, "search", "250314 - 0312")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2:4] == [
        "  1. Geldbörse aus Einkaufstasche gezogen  [web_polizei_bockenheim_code]",
        "     2025-03-14 · Polizeipräsidium Frankfurt am Main (ots) · Bockenheim · POL-F: 250314 - 0312",
    ]


def test_search_notes_are_printed(run, built_settings):
    result = run(built_settings, "search", '"Lagerhalle')
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Hinweis: Ein einzelnes Anführungszeichen wurde ignoriert."


def test_unusable_query_is_one_line_and_status_1(run, built_settings):
    result = run(built_settings, "search", "und oder")
    assert result.exit_code == 1
    assert result.stderr == ("Error: Die Anfrage enthält keine suchbaren Wörter (nur Füllwörter wie „der“ oder "
                             "„und“ oder Operatoren).\n")


def test_show(run, built_settings):
    result = run(built_settings, "show", "ots_dateline_ohne_titel", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["id", "title", "date", "source", "place", "code", "url", "text"]
    assert (data["date"], data["place"], data["source"]) == ("2018-05-02", "Frankfurt",
                                                             "Polizeipräsidium Frankfurt am Main (ots)")
    text = run(built_settings, "show", "unfall_singular")
    assert text.stdout.splitlines()[:3] == [
        "Unfall auf der Hanauer Landstraße",
        "2019-03-04 · Polizeipräsidium Frankfurt am Main (ots)",
        "",
    ]


def test_show_unknown_id(run, built_settings):
    result = run(built_settings, "show", "nichts")
    assert result.exit_code == 1
    assert result.stderr == "Error: Keine Meldung mit der Kennung „nichts“.\n"


def test_info_json(run, built_settings):
    result = run(built_settings, "info", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["documents", "corpus", "index", "built", "version", "checksums", "warnings"]
    assert (data["documents"], data["version"]) == (USABLE_FIXTURES, INDEX_VERSION)
    assert (data["checksums"], data["warnings"]) == ("recorded", [])
    assert data["index"] == str(built_settings.index.resolve())
    assert result.stderr == ""


def test_info_counts_the_live_index_after_adds_and_deletions(run, settings, tmp_path):
    # It reported the count of the last full build: 2,000 after 20 adds to 2,000 releases.
    (settings.corpus / "leer.txt").unlink()  # skipped files would make sync exit 2
    assert run(settings, "rebuild").exit_code == 0
    source = tmp_path / "neu.txt"
    source.write_text(" date 2025-01-02 Neue Meldung\n\nEin neuer Text.\n\nQuelle: Amt\n", encoding="utf-8")
    assert run(settings, "add", str(source)).exit_code == 0
    (settings.corpus / "unfall_singular.txt").unlink()
    (settings.corpus / "unfaelle_plural.txt").unlink()
    assert run(settings, "sync").exit_code == 0
    result = run(settings, "info", "--json")
    assert json.loads(result.stdout)["documents"] == USABLE_FIXTURES + 1 - 2, result.output


def test_info_warns_when_the_index_comes_from_another_corpus(built_settings, tmp_path):
    result = CliRunner().invoke(cli, ["--corpus", str(tmp_path), "--index", str(built_settings.index), "info"])
    assert result.exit_code == 0, result.output
    assert result.stderr == (f"Note: the index was built from {built_settings.corpus.resolve()}, "
                             "not from the configured corpus.\n")
    assert result.stdout.splitlines()[1] == f"corpus:    {tmp_path.resolve()}"


def test_missing_index_is_a_clear_error(run, settings):
    for args in (["search", "Unfall"], ["info"], ["show", "x"], ["serve"]):
        result = run(settings, *args)
        assert result.exit_code == 1, args
        assert result.stderr == f"Error: No index found in {settings.index}. Run `presse rebuild` first.\n"


def test_busy_index_exits_3(run, settings):
    from search.store.locking import writer_lock

    with writer_lock(settings.index, timeout=0):
        result = run(settings, "rebuild")
    assert result.exit_code == ExitStatus.BUSY
    assert result.stderr == (f"Error: Another presse process is writing to {settings.index} (waited 0.2 s). "
                             "Try again when it has finished.\n")


def test_missing_corpus_is_a_clear_error(run, tmp_path):
    from search import Settings

    result = run(Settings(corpus=tmp_path / "nope", index=tmp_path / "index"), "rebuild")
    assert result.exit_code == 1
    assert result.stderr == f"Error: Corpus folder {tmp_path / 'nope'} does not exist. Create it or pass --corpus.\n"


def test_bad_setting_in_environment_is_a_usage_error(built_settings):
    result = CliRunner().invoke(cli, ["--index", str(built_settings.index), "info"], env={"PRESSE_PAGE_SIZE": "zehn"})
    assert result.exit_code == 2
    assert "PRESSE_PAGE_SIZE='zehn' is not a valid int" in result.stderr


RELEASE = " date 2024-05-06 Zebrastreifen erneuert\n\nDie Stadt hat den Zebrastreifen erneuert.\n\nQuelle: Stadt\n"


def test_add_reports_each_input_and_a_summary(run, settings, tmp_path):
    assert run(settings, "rebuild").exit_code == ExitStatus.USAGE_OR_SKIPPED  # leer.txt
    good = tmp_path / "gut.txt"
    good.write_text(RELEASE, encoding="utf-8")
    empty = tmp_path / "leer.txt"
    empty.write_bytes(b"")
    result = run(settings, "add", str(good), str(empty), "--json")
    assert result.exit_code == ExitStatus.USAGE_OR_SKIPPED, result.output
    data = json.loads(result.stdout)
    new_id = data["added"][0]["id"]
    assert data["added"] == [{"input": str(good), "id": new_id, "version_of": None}]
    assert data["skipped"] == [{"input": str(empty), "reason": "the file is empty"}]
    lines = result.stderr.splitlines()
    assert lines[:2] == [f"added {good} as {new_id}", f"skipped {empty}: the file is empty"]
    assert lines[2].startswith("Added 1, duplicates 0, skipped 1 in ")

    again = run(settings, "add", str(good))
    assert again.exit_code == 0, again.output
    assert again.stderr.splitlines()[0] == f"duplicate {good}: same text as {new_id}"


def test_add_reads_standard_input(settings):
    runner = CliRunner()
    args = ["--corpus", str(settings.corpus), "--index", str(settings.index), "add", "-"]
    result = runner.invoke(cli, args, input=RELEASE.encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("added - as 00001_")


def test_add_waits_for_the_lock_then_exits_3(run, settings, tmp_path):
    from search.store.locking import writer_lock

    good = tmp_path / "gut.txt"
    good.write_text(RELEASE, encoding="utf-8")
    with writer_lock(settings.index, timeout=0):
        result = run(settings, "--lock-timeout", "0.1", "add", str(good))
    assert result.exit_code == ExitStatus.BUSY
    assert result.stderr == (f"Error: Another presse process is writing to {settings.index} (waited 0.1 s). "
                             "Try again when it has finished.\n")


def test_sync_says_when_there_is_nothing_to_do(run, settings):
    (settings.corpus / "leer.txt").unlink()
    assert run(settings, "rebuild").exit_code == 0
    result = run(settings, "sync")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"Nothing to do: {USABLE_FIXTURES} releases unchanged (")
    (settings.corpus / "neu.txt").write_text(RELEASE, encoding="utf-8")
    result = run(settings, "sync")
    assert result.stderr.startswith(
        f"Added 1, updated 0, removed 0, unchanged {USABLE_FIXTURES}, duplicates 0, skipped 0 in ")


def test_rebuild_names_each_duplicate_and_exits_0_when_nothing_was_skipped(run, settings):
    (settings.corpus / "leer.txt").unlink()
    copy = settings.corpus / "zweitschrift.txt"
    copy.write_bytes((settings.corpus / "unfall_singular.txt").read_bytes())
    result = run(settings, "rebuild")
    assert result.exit_code == 0, result.output
    _, duplicate, summary, _ = result.stderr.split("\n")
    assert duplicate == f"duplicate {settings.corpus.resolve() / 'zweitschrift.txt'}: same text as unfall_singular"
    assert re.fullmatch(rf"Indexed {USABLE_FIXTURES} releases in \d+\.\d s; duplicates 1, skipped 0 files\.", summary)
