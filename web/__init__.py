"""create_app(settings=None): configuration, blueprint, error handlers, security headers; nothing at import time."""

from __future__ import annotations

import logging
import threading

from flask import Flask, Response, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from search import IndexCorruptError, IndexMissingError, IndexStaleError, LiveIndex, ReleaseNotFoundError, Settings

from . import engine, shedding
from .views import bp

log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}

# Titles of the error pages people can run into; anything else is shown as a generic error.
ERROR_TITLES = {
    400: "Ungültige Anfrage",
    404: "Seite nicht gefunden",
    405: "Methode nicht erlaubt",
    413: "Anfrage zu groß",
    414: "Adresse zu lang",
    429: "Zu viele Anfragen",
    431: "Kopfzeilen zu groß",
    503: "Server überlastet",
}
ERROR_MESSAGES = {
    404: "Diese Seite gibt es nicht. Vielleicht hilft eine neue Suche.",
    405: "Diese Adresse kann nur mit GET abgerufen werden.",
    429: "Von Ihrer Adresse laufen schon mehrere Anfragen. Bitte versuchen Sie es gleich noch einmal.",
    503: "Der Server ist gerade überlastet. Bitte versuchen Sie es in einigen Sekunden erneut.",
}
NO_INDEX_MESSAGE = (
    "Der Suchindex fehlt oder wird gerade neu aufgebaut. Bitte versuchen Sie es in einigen Minuten erneut."
)
# A damaged or tampered index needs an operator's rebuild: the visitor learns that waiting a few minutes will not help.
DAMAGED_INDEX_MESSAGE = (
    "Der Suchindex ist beschädigt und muss neu aufgebaut werden. Bitte versuchen Sie es später erneut."
)
UNTRUSTED_HOST_MESSAGE = "Diese Adresse wird von diesem Server nicht bedient."
SERVER_ERROR_MESSAGE = "Bei der Bearbeitung ist ein Fehler aufgetreten. Bitte versuchen Sie es später erneut."
# Nothing here accepts a request body; a large one is refused before anyone reads it.
MAX_BODY_BYTES = 64 * 1024


def create_app(settings: Settings | None = None) -> Flask:
    """The presse web app for `settings` (default: read from PRESSE_* environment variables).

    The index is not opened here: the first request that needs a searcher opens it.
    """
    app = Flask(__name__)
    app.config["PRESSE_SETTINGS"] = settings if settings is not None else Settings.from_env()
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    # With trusted hosts configured, Flask answers a request for any other host with a 400 (web/links.py says why).
    app.config["TRUSTED_HOSTS"] = app.config["PRESSE_SETTINGS"].trusted_host_names() or None
    app.extensions["presse"] = LiveIndex(app.config["PRESSE_SETTINGS"].index,
                                         recheck_seconds=app.config["PRESSE_SETTINGS"].recheck_seconds)
    app.extensions["presse_clients"] = shedding.ClientShares(app.config["PRESSE_SETTINGS"].client_requests)
    app.extensions["presse_turns"] = threading.Semaphore(engine.FALLBACK_TURNS)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.register_blueprint(bp)
    app.before_request(shedding.refuse_excess)
    app.teardown_request(shedding.give_back_share)
    app.teardown_appcontext(engine.release_searcher)
    app.register_error_handler(IndexMissingError, handle_no_index)
    app.register_error_handler(IndexStaleError, handle_no_index)
    app.register_error_handler(IndexCorruptError, handle_damaged_index)
    app.register_error_handler(ReleaseNotFoundError, handle_not_found)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(SecurityError, handle_untrusted_host)
    app.register_error_handler(InternalServerError, handle_server_error)
    app.after_request(add_security_headers)
    return app


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/health"


def error_response(title: str, message: str, code: int) -> Response:
    """The one way an error reaches a visitor: JSON `{"error"}` under /api/ and for /health, else the error page."""
    body = jsonify(error=message) if wants_json() else render_template("error.html", title=title, message=message)
    return make_response(body, code)


def handle_no_index(error: IndexMissingError | IndexStaleError) -> Response:
    # The engine's message names folders on the server; it goes to the log, not to the visitor.
    log.warning("index unavailable: %s", error)
    return error_response("Suche vorübergehend nicht verfügbar", NO_INDEX_MESSAGE, 503)


def handle_damaged_index(error: IndexCorruptError) -> Response:
    # Damage does not mend itself: an error for the operator (the message names the files), not a warning.
    log.error("index damaged: %s", error)
    return error_response("Suche vorübergehend nicht verfügbar", DAMAGED_INDEX_MESSAGE, 503)


def handle_not_found(error: ReleaseNotFoundError) -> Response:
    return error_response("Meldung nicht gefunden", str(error), 404)


def handle_http_error(error: HTTPException) -> Response:
    code = error.code or 500
    title = ERROR_TITLES.get(code, "Fehler")
    response = error_response(title, ERROR_MESSAGES.get(code, title + "."), code)
    retry_after = getattr(error, "retry_after", None)  # 429 and 503 say when to come back
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def handle_untrusted_host(error: SecurityError) -> tuple[Response, int]:
    # No page: with a host it does not trust, Flask builds no URLs, and every page links to others.
    log.warning("refused: %s", error.description)
    return Response(UNTRUSTED_HOST_MESSAGE + "\n", content_type="text/plain; charset=utf-8"), 400


def handle_server_error(error: InternalServerError) -> Response:
    # Flask has already logged the traceback of the original exception.
    return error_response("Interner Fehler", SERVER_ERROR_MESSAGE, 500)


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
