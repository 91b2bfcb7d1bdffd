"""Refusing work the server cannot do in time: 503 for a request that queued too long, 429 beyond a client's
share, the ladder's turns, and the warm-up before serving."""

import logging

import pytest

from search import Settings, run_query
from web import create_app
from web.engine import WARM_UP_QUERY, get_searcher, get_settings, warm_up
from web.shedding import QUEUED_KEY, ClientShares

OVERLOADED = "Der Server ist gerade überlastet. Bitte versuchen Sie es in einigen Sekunden erneut."
TOO_MANY = "Von Ihrer Adresse laufen schon mehrere Anfragen. Bitte versuchen Sie es gleich noch einmal."


def test_a_request_that_queued_too_long_gets_a_german_503_page_with_retry_after(make_app):
    response = make_app(queue_seconds=0.5).test_client().get("/?q=Hochwasser", environ_overrides={QUEUED_KEY: 0.6})
    page = response.get_data(as_text=True)
    assert (response.status_code, response.headers["Retry-After"]) == (503, "2")
    assert "<h1>Server überlastet</h1>" in page and OVERLOADED in page
    assert "web_hochwasser_warnung" not in page  # refused, not searched


def test_the_api_gets_a_json_503_with_retry_after(make_app):
    response = make_app(queue_seconds=0.5).test_client().get(
        "/api/search?q=Hochwasser", environ_overrides={QUEUED_KEY: 3.0})
    assert (response.status_code, response.headers["Retry-After"], response.json) == (503, "2", {"error": OVERLOADED})


def test_health_answers_however_long_it_queued(make_app):
    response = make_app(queue_seconds=0.5).test_client().get("/health", environ_overrides={QUEUED_KEY: 30.0})
    assert (response.status_code, response.json["status"], response.json["documents"]) == (200, "ok", 15)


def test_a_request_within_the_queue_limit_is_answered(make_app):
    response = make_app(queue_seconds=0.5).test_client().get(
        "/api/search?q=Hochwasser", environ_overrides={QUEUED_KEY: 0.4})
    assert response.status_code == 200
    assert [hit["id"] for hit in response.json["hits"]] == [
        "web_hochwasser_warnung", "web_hochwasser_pegel", "web_hochwasser_deich", "web_hochwasser_uebung"]


def test_a_client_with_its_share_under_way_gets_429_and_others_do_not(make_app):
    app = make_app(client_requests=2)
    shares = app.extensions["presse_clients"]
    assert shares.take("127.0.0.1") and shares.take("127.0.0.1")  # two requests of this address under way
    client = app.test_client()
    refused = client.get("/api/search?q=Hochwasser")
    assert (refused.status_code, refused.headers["Retry-After"], refused.json) == (429, "1", {"error": TOO_MANY})
    other = client.get("/api/search?q=Hochwasser", environ_overrides={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200
    shares.give_back("127.0.0.1")
    assert client.get("/api/search?q=Hochwasser").status_code == 200
    # Each answered request gave its share back: one more fits, then the address is full again.
    assert shares.take("127.0.0.1") and not shares.take("127.0.0.1")


def test_client_shares_count_per_address_and_zero_means_no_limit():
    shares = ClientShares(2)
    assert [shares.take("a"), shares.take("a"), shares.take("a"), shares.take("b")] == [True, True, False, True]
    shares.give_back("a")
    assert shares.take("a") and not shares.take("a")
    unlimited = ClientShares(0)
    assert all(unlimited.take("a") for _ in range(100))


def test_a_search_without_a_free_turn_skips_the_costly_steps_and_says_so(make_app):
    app = make_app()
    turns = app.extensions["presse_turns"]
    client = app.test_client()
    assert client.get("/api/search?q=Leuchtturn Fest").json["notes"] == [
        "Ergebnisse für „Leuchtturm“ (statt „Leuchtturn“)."]
    assert turns.acquire(blocking=False)  # another search is climbing the ladder
    try:
        busy = client.get("/api/search?q=Leuchtturn Fest").json
    finally:
        turns.release()
    assert (busy["total"], busy["notes"]) == (0, [
        "Der Server ist gerade ausgelastet; nicht gesucht wurden ähnliche Schreibweisen, Treffer ohne die "
        "unbekannten Wörter und Treffer mit einigen der Wörter."])


def test_warm_up_runs_a_search_on_the_index(make_app):
    app = make_app()
    assert warm_up(app, "Hochwasser") == 4
    with app.app_context():  # the shipped query is one the shared releases have (10,750 of them)
        assert warm_up(app) == run_query(get_searcher(), get_settings(), WARM_UP_QUERY).total


def test_warm_up_without_an_index_only_logs(tmp_path, caplog):
    app = create_app(Settings(corpus=tmp_path / "corpus", index=tmp_path / "index"))
    with caplog.at_level(logging.WARNING, logger="web.engine"):
        assert warm_up(app) is None
    assert [record.getMessage().startswith("warm-up skipped: ") for record in caplog.records] == [True]


@pytest.mark.parametrize(("name", "value"), [("queue_seconds", 0.0), ("client_requests", -1)])
def test_shedding_settings_are_checked(name, value):
    with pytest.raises(ValueError, match=name):
        Settings.from_env({}, **{name: value})
