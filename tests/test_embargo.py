"""Embargoes (Sperrfristen): read from German notices, indexed, and kept out of every answer until their time."""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from search import (
    ReleaseError,
    ReleaseNotFoundError,
    Searcher,
    Settings,
    build_index,
    get_release,
    release_versions,
    run_query,
    similar_releases,
)
from search.cli import cli
from search.german.embargo import BERLIN, find_embargoes, format_embargo, parse_embargo_time
from search.ingest.corpus_file import format_release, parse_text_release, release_embargo
from tests.conftest import open_searcher
from web import create_app

EMBARGO_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "embargo"
# 12.05.2025, 10:00 Uhr in Berlin (summer time): 08:00 UTC. The fixtures' embargoes end then.
ENDS = datetime(2025, 5, 12, 8, 0, tzinfo=UTC).timestamp()
BEFORE = ENDS - 1
EMBARGOED = ["bus_frei_ab", "bus_linie_sieben_neu", "bus_sperrfrist_text", "bus_sperrfrist_zeile"]
ATOM = "{http://www.w3.org/2005/Atom}"


class Clock:
    """A wall clock the test sets: the instant every search and page of the app reads."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def berlin(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BERLIN)


# ---- reading the notices -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "until"), [
    ("Sperrfrist: 12.05.2025, 10:00 Uhr", berlin(2025, 5, 12, 10, 0)),
    ("SPERRFRIST: Freitag, 3. Januar 2025, 0.01 Uhr", berlin(2025, 1, 3, 0, 1)),
    ("Sperrfrist bis 12. Mai 2025, 10 Uhr", berlin(2025, 5, 12, 10, 0)),
    ("Veröffentlichung frei ab 12.05.2025 10:00", berlin(2025, 5, 12, 10, 0)),
    ("Sperrfrist: Dienstag, 13. Mai 2025, 10 Uhr", berlin(2025, 5, 13, 10, 0)),
    ("+++ Sperrfrist bis 12. Mai 2025, 10 Uhr +++", berlin(2025, 5, 12, 10, 0)),
    ("*** SPERRFRIST – 12.05.2025, 10.00 Uhr ***", berlin(2025, 5, 12, 10, 0)),
    ("Frei zur Veröffentlichung ab: 12.5.25, 9 Uhr", berlin(2025, 5, 12, 9, 0)),
    ("Sperrfrist: 12.05.2025", berlin(2025, 5, 12, 0, 0)),  # a date alone: from its first minute
    ("Sperrfrist: 1. Dezember 2025, 10:00 Uhr", berlin(2025, 12, 1, 10, 0)),  # winter time: 09:00 UTC
])
def test_notices_are_read_as_berlin_instants(line, until):
    [embargo] = find_embargoes("Überschrift\n" + line + "\nText der Meldung.")
    assert embargo.until == until
    assert embargo.notice == " ".join(line.strip("*+ ").split())


def test_summer_and_winter_time_give_the_utc_instant():
    assert parse_embargo_time("12.05.2025, 10:00 Uhr").timestamp() == ENDS
    assert parse_embargo_time("1. Dezember 2025, 10 Uhr") == datetime(2025, 12, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", [
    "Die Sperrfrist für die Straße endet am Freitag.",
    "Die Sperrfrist für die Straße endet am 12.05.2025, 10:00 Uhr.",
    "Sperrfrist für Anlieger bis 12.05.2025",
    "Wir bitten, die Sperrfrist zu beachten.",
    "Sperrfrist: keine",
    "Sperrfrist: aufgehoben",
    "Die Veröffentlichung ist frei.",
])
def test_text_that_is_no_embargo_notice(text):
    assert find_embargoes(text) == []


@pytest.mark.parametrize("line", [
    "Sperrfrist: nach der Pressekonferenz",
    "Sperrfrist: 31.02.2025, 10:00 Uhr",
    "Sperrfrist: 12.05.2025, 25:00 Uhr",
    "Sperrfrist: Dienstag, 12. Mai 2025, 10 Uhr",  # 12 May 2025 was a Monday: which day was meant?
    "Sperrfrist bis 12. Mai, 10 Uhr",  # no year
])
def test_notices_without_a_readable_time(line):
    [embargo] = find_embargoes(line)
    assert embargo.until is None


def test_format_embargo_in_berlin_time():
    assert format_embargo(datetime.fromtimestamp(ENDS, UTC)) == "12.05.2025, 10:00 Uhr"


# ---- releases ------------------------------------------------------------------------------------------------------


def test_a_sperrfrist_line_after_the_issuer_is_metadata_and_written_back():
    release = parse_text_release((EMBARGO_FIXTURES / "bus_sperrfrist_zeile.txt").read_text(), "bus_sperrfrist_zeile")
    assert release.embargo == "12.05.2025, 10:00 Uhr"
    assert "Sperrfrist" not in release.text
    assert release_embargo(release).until == berlin(2025, 5, 12, 10, 0)
    written = format_release(release, headline=True)
    assert written.endswith("Quelle: Stadtwerke Nordkap\nSperrfrist: 12.05.2025, 10:00 Uhr\n")
    assert parse_text_release(written, "x").embargo == "12.05.2025, 10:00 Uhr"


def test_the_later_of_a_line_and_a_notice_in_the_text_counts():
    text = " date 2025-05-12 Titel\n\nSperrfrist: 12.05.2025, 10:00 Uhr\n\nText.\n\nQuelle: A\nSperrfrist: 13.05.2025"
    assert release_embargo(parse_text_release(text, "x")).until == berlin(2025, 5, 13, 0, 0)


def test_an_unreadable_embargo_is_an_error_naming_it():
    raw = (EMBARGO_FIXTURES / "sperrfrist_unlesbar.txt").read_text()
    with pytest.raises(ReleaseError) as caught:
        parse_text_release(raw, "sperrfrist_unlesbar")
    assert str(caught.value) == (
        "sperrfrist_unlesbar: the embargo „Sperrfrist: nach der Pressekonferenz am Montag“ has no date and time "
        "presse can read; write it as „Sperrfrist: 12.05.2025, 10:00 Uhr“ (Berlin time), or „Sperrfrist: keine“")


def test_sperrfrist_keine_lifts_nothing_and_hides_nothing():
    release = parse_text_release(" date 2025-05-12 Titel\n\nText.\n\nQuelle: A\nSperrfrist: keine", "x")
    assert release_embargo(release) is None


# ---- the index -----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def embargo_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    base = tmp_path_factory.mktemp("embargo")
    shutil.copytree(EMBARGO_FIXTURES, base / "corpus")
    settings = Settings(corpus=base / "corpus", index=base / "index", clock=Clock(BEFORE))
    report = build_index(settings)
    assert report.indexed == 7
    assert [(path.name, reason) for path, reason in ((s.path, s.reason) for s in report.skipped)] == [
        ("sperrfrist_unlesbar.txt",
         "the embargo „Sperrfrist: nach der Pressekonferenz am Montag“ has no date and time "
         "presse can read; write it as „Sperrfrist: 12.05.2025, 10:00 Uhr“ (Berlin time), or „Sperrfrist: keine“")]
    return settings


@pytest.fixture(scope="module")
def embargo_searcher(embargo_settings: Settings) -> Iterator[Searcher]:
    with open_searcher(embargo_settings.index) as opened:
        yield opened


def at(settings: Settings, now: float) -> Settings:
    return Settings(corpus=settings.corpus, index=settings.index, clock=Clock(now))


def test_search_total_and_facets_leave_embargoed_releases_out_until_their_time(embargo_settings, embargo_searcher):
    before = run_query(embargo_searcher, at(embargo_settings, BEFORE), "Wasserstoffbusse", facets=True)
    assert [hit.id for hit in before.hits] == ["bus_frist_abgelaufen"]
    assert before.total == 1
    assert dict(before.facets["source"]) == {"Stadtwerke Nordkap": 1}
    after = run_query(embargo_searcher, at(embargo_settings, ENDS), "Wasserstoffbusse", facets=True)
    assert sorted(hit.id for hit in after.hits) == sorted(
        ["bus_frist_abgelaufen", "bus_frei_ab", "bus_sperrfrist_text", "bus_sperrfrist_zeile", "bus_linie_sieben_neu"])
    assert after.total == 5
    assert dict(after.facets["source"]) == {"Stadtwerke Nordkap": 4, "Verkehrsverbund Nordkap": 1}


def test_the_newest_list_shows_an_embargoed_release_from_its_time(embargo_settings, embargo_searcher):
    before = run_query(embargo_searcher, at(embargo_settings, BEFORE), "", sort="date", limit=20, facets=True)
    assert [hit.id for hit in before.hits] == ["strasse_sperrfrist", "bus_linie_sieben", "bus_frist_abgelaufen"]
    assert dict(before.facets["year"]) == {"2025": 3}
    after = run_query(embargo_searcher, at(embargo_settings, ENDS), "", sort="date", limit=20)
    # The new version folds the old one away once it may be shown.
    assert [hit.id for hit in after.hits][:4] == ["bus_frei_ab", "bus_linie_sieben_neu", "bus_sperrfrist_text",
                                                 "bus_sperrfrist_zeile"]
    assert after.total == 6


def test_get_release_knows_no_embargoed_release_before_its_time(embargo_searcher):
    for release_id in EMBARGOED:
        with pytest.raises(ReleaseNotFoundError, match=f"Keine Meldung mit der Kennung „{release_id}“."):
            get_release(embargo_searcher, release_id, now=BEFORE)
        assert get_release(embargo_searcher, release_id, now=ENDS).id == release_id
        assert get_release(embargo_searcher, release_id, now=math.inf).id == release_id


def test_versions_and_similar_releases_leave_embargoed_ones_out(embargo_searcher):
    assert release_versions(embargo_searcher, "bus_linie_sieben", now=BEFORE) == []
    assert [v.id for v in release_versions(embargo_searcher, "bus_linie_sieben", now=ENDS)] == ["bus_linie_sieben_neu"]
    before = {hit.id for hit in similar_releases(embargo_searcher, "bus_linie_sieben", limit=10, now=BEFORE)}
    assert before == {"bus_frist_abgelaufen", "strasse_sperrfrist"}
    after = {hit.id for hit in similar_releases(embargo_searcher, "bus_linie_sieben", limit=10, now=ENDS)}
    assert {"bus_sperrfrist_zeile", "bus_sperrfrist_text", "bus_frei_ab"} <= after
    assert "bus_linie_sieben_neu" not in after  # its own version
    with pytest.raises(ReleaseNotFoundError):
        similar_releases(embargo_searcher, "bus_sperrfrist_zeile", now=BEFORE)


# ---- the web app: one app, its clock moved on, no rebuild ------------------------------------------------------------


@pytest.fixture(scope="module")
def web(embargo_settings: Settings) -> Iterator[tuple[FlaskClient, Clock]]:
    clock = Clock(BEFORE)
    app = create_app(Settings(corpus=embargo_settings.corpus, index=embargo_settings.index, clock=clock))
    yield app.test_client(), clock
    app.extensions["presse"].close()


def test_pages_api_and_feed_hide_an_embargoed_release_then_show_it(web):
    client, clock = web
    clock.now = BEFORE
    for path in ("/release/bus_sperrfrist_zeile", "/release/bus_sperrfrist_zeile/zitat.txt",
                 "/api/release/bus_sperrfrist_zeile"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert b"Wasserstoffbusse" not in response.data
    absent = client.get("/release/nicht_da").data.replace(b"nicht_da", b"bus_sperrfrist_zeile")
    assert client.get("/release/bus_sperrfrist_zeile").data == absent  # nothing tells an embargo from a typo
    assert client.get("/api/search?q=Wasserstoffbusse").get_json()["total"] == 1
    page = client.get("/?q=Wasserstoffbusse").get_data(as_text=True)
    assert "bus_frist_abgelaufen" in page
    assert not any(release_id in page for release_id in EMBARGOED)
    assert "Verkehrsverbund Nordkap" not in page  # not even as a facet with a count
    assert feed_ids(client) == ["strasse_sperrfrist", "bus_linie_sieben", "bus_frist_abgelaufen"]
    release_page = client.get("/release/bus_linie_sieben").get_data(as_text=True)
    assert not any(release_id in release_page for release_id in EMBARGOED)  # neither version nor similar

    clock.now = ENDS
    assert client.get("/release/bus_sperrfrist_zeile").status_code == 200
    assert "Sperrfrist: 12.05.2025" not in client.get("/release/bus_sperrfrist_zeile").get_data(as_text=True)
    assert "zwölf Wasserstoffbusse" in client.get("/release/bus_sperrfrist_zeile/zitat.txt").get_data(as_text=True)
    assert client.get("/api/release/bus_sperrfrist_zeile").get_json()["id"] == "bus_sperrfrist_zeile"
    assert client.get("/api/search?q=Wasserstoffbusse").get_json()["total"] == 5
    assert feed_ids(client)[:4] == ["bus_frei_ab", "bus_linie_sieben_neu", "bus_sperrfrist_text",
                                    "bus_sperrfrist_zeile"]
    release_page = client.get("/release/bus_linie_sieben").get_data(as_text=True)
    assert "/release/bus_linie_sieben_neu" in release_page
    assert "/release/bus_sperrfrist_zeile" in release_page


def feed_ids(client: FlaskClient) -> list[str]:
    feed = ET.fromstring(client.get("/feed?sortierung=datum").data)
    return [entry.findtext(f"{ATOM}id").rsplit("/", 1)[-1] for entry in feed.iter(f"{ATOM}entry")]


# ---- the command line ----------------------------------------------------------------------------------------------


def run_cli(settings: Settings, now: float, *args: str):
    return CliRunner().invoke(cli, ["--corpus", str(settings.corpus), "--index", str(settings.index), *args],
                              obj=Settings(clock=Clock(now)))


def test_cli_search_and_show_hide_an_embargoed_release_until_its_time(embargo_settings):
    before = run_cli(embargo_settings, BEFORE, "search", "Wasserstoffbusse")
    assert before.exit_code == 0
    assert "1 Treffer" in before.output and "[bus_frist_abgelaufen]" in before.output
    assert "bus_sperrfrist_zeile" not in before.output
    hidden = run_cli(embargo_settings, BEFORE, "show", "bus_sperrfrist_zeile")
    assert hidden.exit_code == 1
    assert hidden.output == "Error: Keine Meldung mit der Kennung „bus_sperrfrist_zeile“.\n"
    after = run_cli(embargo_settings, ENDS, "search", "Wasserstoffbusse")
    assert "5 Treffer" in after.output and "[bus_sperrfrist_zeile]" in after.output
    shown = run_cli(embargo_settings, ENDS, "show", "bus_sperrfrist_zeile")
    assert shown.exit_code == 0
    assert shown.output.startswith("Stadtwerke Nordkap stellen zwölf Wasserstoffbusse vor\n")


def test_cli_show_embargoed_tells_the_operator_until_when(embargo_settings):
    shown = run_cli(embargo_settings, BEFORE, "show", "--embargoed", "bus_sperrfrist_text")
    assert shown.exit_code == 0
    assert shown.output.startswith("Sperrfrist bis 12.05.2025, 10:00 Uhr: not shown anywhere until then.\n"
                                   "Wasserstofftankstelle am Betriebshof eröffnet\n")
    as_json = run_cli(embargo_settings, BEFORE, "show", "--embargoed", "--json", "bus_sperrfrist_text")
    assert '"embargo": "2025-05-12T08:00:00+00:00"' in as_json.output
    ended = run_cli(embargo_settings, ENDS, "show", "--embargoed", "bus_sperrfrist_text")
    assert "not shown anywhere" not in ended.output
    assert ended.output.startswith("Wasserstofftankstelle am Betriebshof eröffnet\n")


def test_cli_rebuild_names_the_unreadable_embargo_and_exits_2(embargo_settings, tmp_path):
    settings = Settings(corpus=embargo_settings.corpus, index=tmp_path / "index")
    result = run_cli(settings, BEFORE, "rebuild")
    assert result.exit_code == 2
    assert ("sperrfrist_unlesbar.txt: the embargo „Sperrfrist: nach der "
            "Pressekonferenz am Montag“ has no date and time presse can read") in result.output


def test_cli_add_hides_an_embargoed_release_and_skips_an_unreadable_one(tmp_path):
    settings = Settings(corpus=tmp_path / "corpus", index=tmp_path / "index")
    (tmp_path / "corpus").mkdir()
    inbox = tmp_path / "eingang"
    inbox.mkdir()
    for name in ("bus_sperrfrist_zeile.txt", "sperrfrist_unlesbar.txt"):
        shutil.copy(EMBARGO_FIXTURES / name, inbox / name)
    added = run_cli(settings, BEFORE, "add", "--json", str(inbox))
    assert added.exit_code == 2
    assert "sperrfrist_unlesbar.txt: the embargo „Sperrfrist: nach der Pressekonferenz am Montag“" in added.output
    [new_id] = [line.split(" as ")[1] for line in added.output.splitlines() if line.startswith("added ")]
    assert "Sperrfrist: 12.05.2025, 10:00 Uhr" in next((tmp_path / "corpus").glob("*.txt")).read_text()
    assert "0 Treffer" in run_cli(settings, BEFORE, "search", "Wasserstoffbusse").output
    assert run_cli(settings, BEFORE, "show", new_id).exit_code == 1
    assert f"[{new_id}]" in run_cli(settings, ENDS, "search", "Wasserstoffbusse").output
