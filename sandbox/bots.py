"""Simulated trainees over real HTTP: a room for a demo, and the load a room puts on a server.

Each bot behaves like a phone's browser: its own keep-alive connection and cookie jar; it
opens the join page, posts the join form (CSRF token and one-time form key from the page),
then stays on the inbox and polls what that page polls (every element with
`hx-trigger="every Ns"`, read from the page itself, with `HX-Request: true`: the page's
pulse). When a pulse answers with an `HX-Trigger` event, the bot refreshes the regions that
listen to it (`hx-trigger="<event> from:body"`: the inbox), as htmx would, and polls on
with the pulse's new version. Every `think` seconds (jittered) it opens one report, opens an
action's form and saves it, then goes back to the inbox. A bot only sees what a trainee
sees, so no answer key comes over HTTP:

- With `scenario` set, the bot rebuilds the workshop's reports locally from the scenario
  file shipped with this package (and the session's seed: the scenario's own unless the
  facilitator chose one), which gives each report's answer key by tracking number. Its
  decisions are then those of services.simulated: with probability `skill` the key's answer,
  else a typical mistake.
- Without it (or for a report the plan does not have, e.g. one the facilitator injected),
  the bot picks among the options the form offers, at random; `skill` then only decides
  whether its follow-ups are concrete or vague.

The summary counts actions sent, acknowledged (a 2xx answer saying "Tercatat", or a
redirect), refused by the form (4xx with a message) and of unknown outcome (the connection
failed after sending), errors by kind, and latency percentiles per endpoint kind.
"""

from __future__ import annotations

import http.client
import json
import random
import re
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from html import unescape
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from sandbox.domain.teammate import CONCRETE_TL, QUESTIONS, VAGUE_TL

KINDS = ("join", "page", "pulse", "inbox", "report", "action", "poll", "dashboard",
         "projector", "login")
ROOM_KINDS = ("page", "pulse", "inbox", "report", "action")  # a trainee's, once joined
TRAINEE_STATES_TO_ACT = ("BARU", "TERDISPOSISI", "DIPROSES")
UNITS = ("Dinas Kesehatan", "Dinas PUPR", "Disdukcapil", "Dinas Sosial", "Satpol PP",
         "Dinas Pendidikan", "Dinas Lingkungan Hidup", "Dinas Perhubungan")
GUESSED_WRONG = 0.25  # without an answer sheet: the share of dispositions a bot returns
RETURN_REASONS = (
    "Laporan ini bukan wewenang OPD kami; mohon Admin Instansi meneruskannya ke OPD yang "
    "berwenang sesuai isi laporan.",
    "Isi laporan menyangkut instansi lain, bukan tugas dan fungsi OPD kami: mohon "
    "didisposisikan ulang.",
)
# What a bot posts for a follow-up when it has no report-specific words.
TL_WORDS = {"unit": "unit kami", "today": "hari ini", "later": "tiga hari kerja ke depan",
            "title": "Bapak/Ibu", "reporter": ""}


# How a keep-alive connection the server closed in the meantime fails.
STALE_CONNECTION = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


class BotSetupError(Exception):
    """The room cannot be joined at all (no server, not this app, a wrong code): one line."""


# --- reading pages --------------------------------------------------------------------

@dataclass
class Form:
    """A form on a page: where it posts, its prefilled fields and each select's options."""

    action: str
    fields: dict[str, str] = field(default_factory=dict)
    options: dict[str, list[str]] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)  # textarea names


@dataclass
class Page:
    """What a bot reads from an HTML page."""

    forms: dict[str, Form] = field(default_factory=dict)
    polls: list[tuple[str, float]] = field(default_factory=list)  # (url, every seconds)
    # (event, url): regions that refresh when a response triggers the event on <body>.
    listeners: list[tuple[str, str]] = field(default_factory=list)
    csrf: str | None = None
    buttons: list[str] = field(default_factory=list)  # id="btn-<action>"
    state: str | None = None  # the report page's state badge
    text: str = ""  # the report's own words
    heading: str = ""
    field_errors: list[str] = field(default_factory=list)


class _PageParser(HTMLParser):
    """Collects forms, pollers, listeners, the CSRF header, action buttons and a report's
    state."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._form: Form | None = None
        self._select: str | None = None
        self._capture: str | None = None  # "text", "heading" or "error"
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        trigger = a.get("hx-trigger", "")
        every = re.match(r"every (\d+(?:\.\d+)?)(ms|s)\b", trigger)
        if every and a.get("hx-get"):
            seconds = float(every.group(1)) / (1000 if every.group(2) == "ms" else 1)
            self.page.polls.append((a["hx-get"], seconds))
        heard = re.fullmatch(r"\s*([\w:.-]+) from:body\s*", trigger)
        if heard and a.get("hx-get"):
            self.page.listeners.append((heard.group(1), a["hx-get"]))
        if tag == "body" and a.get("hx-headers"):
            with suppress(ValueError):
                self.page.csrf = json.loads(a["hx-headers"]).get("X-CSRFToken")
        element_id = a.get("id", "")
        if element_id.startswith("btn-"):
            self.page.buttons.append(element_id[4:])
        classes = a.get("class", "").split()
        if element_id == "state-badge":
            self.page.state = next((c[6:].upper() for c in classes if c.startswith("state-")),
                                   None)
        if tag == "form":
            self._form = Form(a.get("action", ""))
            self.page.forms[element_id or f"form-{len(self.page.forms)}"] = self._form
        elif tag == "input" and self._form is not None and a.get("name"):
            kind = a.get("type", "text")
            if kind == "hidden" or (kind == "text" and a.get("value")):
                self._form.fields[a["name"]] = a.get("value", "")
        elif tag == "select" and self._form is not None and a.get("name"):
            self._select = a["name"]
            self._form.options[self._select] = []
        elif tag == "option" and self._form is not None and self._select and a.get("value"):
            self._form.options[self._select].append(a["value"])
        elif tag == "textarea" and self._form is not None and a.get("name"):
            self._form.texts.append(a["name"])
        elif tag == "blockquote" and "report-text" in classes:
            self._start("text")
        elif tag == "h1" and not self.page.heading:
            self._start("heading")
        elif tag == "p" and "field-error" in classes:
            self._start("error")

    def _start(self, what: str) -> None:
        self._capture, self._buffer = what, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif self._capture and tag in ("blockquote", "h1", "p"):
            text = " ".join("".join(self._buffer).split())
            if self._capture == "text":
                self.page.text = text
            elif self._capture == "heading":
                self.page.heading = text
            else:
                self.page.field_errors.append(text)
            self._capture = None

    def handle_data(self, data: str) -> None:
        if self._capture:
            self._buffer.append(data)


def read_page(html: str) -> Page:
    """The forms, pollers, listeners and report details of a page."""
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    return parser.page


ROW = re.compile(r"<tr\b.*?</tr>", re.S)
ROW_LINK = re.compile(r'href="/laporan/([A-Za-z0-9-]+)"')
ROW_STATE = re.compile(r'badge state-([a-z_]+)')


def inbox_rows(html: str) -> dict[str, str] | None:
    """Tracking number → state of each report listed, or None if this is no inbox."""
    if 'id="inbox"' not in html:
        return None
    rows: dict[str, str] = {}
    for row in ROW.findall(html):
        link, state = ROW_LINK.search(row), ROW_STATE.search(row)
        if link and state:
            rows[link.group(1)] = state.group(1).upper()
    return rows


# --- measuring --------------------------------------------------------------------------

class Stats:
    """Latencies per endpoint kind, errors by kind, and the action ledger of a run."""

    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = {kind: [] for kind in KINDS}
        self.failed: dict[str, int] = dict.fromkeys(KINDS, 0)
        self.errors: Counter[str] = Counter()
        self.ledger: Counter[str] = Counter()  # joined, sent, acknowledged, refused, ...
        self.refusals: Counter[str] = Counter()
        self.lag: list[float] = []  # how late a bot woke up for a due step (client load)
        # (when it ended, kind, ms) of every answered request, for a window of the run.
        self.samples: list[tuple[float, str, float]] = []
        self.begin = time.monotonic()
        self.last_join = 0.0  # seconds from the start until the last bot had joined
        self.lock = threading.Lock()

    def error(self, kind: str, what: str) -> None:
        with self.lock:
            self.failed[kind] += 1
            self.errors[what] += 1

    def count(self, what: str, n: int = 1) -> None:
        with self.lock:
            self.ledger[what] += n


def percentile(values: Sequence[float], share: float) -> float | None:
    """The value at `share` (0..1) of the sorted values, nearest rank; None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


# --- one browser ----------------------------------------------------------------------

@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str


class Browser:
    """One phone's browser: a keep-alive connection, a cookie jar, the page's CSRF token."""

    def __init__(self, base: str, stats: Stats, timeout: float) -> None:
        parts = urlsplit(base)
        self.scheme, self.host = parts.scheme, parts.netloc
        self.prefix = parts.path.rstrip("/")
        self.stats, self.timeout = stats, timeout
        self.cookies: dict[str, str] = {}
        self.csrf: str | None = None
        self.conn: http.client.HTTPConnection | None = None
        self.failures = 0  # requests that got no answer (already counted in Stats)

    def _connect(self) -> http.client.HTTPConnection:
        if self.conn is None:
            kind = (http.client.HTTPSConnection if self.scheme == "https"
                    else http.client.HTTPConnection)
            self.conn = kind(self.host, timeout=self.timeout)
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _send(self, method: str, path: str, body: str | None,
              headers: dict[str, str]) -> Reply:
        conn = self._connect()
        conn.request(method, self.prefix + path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, text)

    def request(self, kind: str, method: str, path: str, form: dict[str, str] | None = None,
                htmx: bool = False) -> Reply | None:
        """One request, timed under `kind`; redirects of a GET or POST are followed (as a
        browser does, by GET). None when it failed; the failure is counted."""
        headers = {"Accept": "text/html", "User-Agent": "lapor-sandbox-bots"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if htmx:
            headers["HX-Request"] = "true"
        body = None
        if method == "POST":
            body = urlencode(form or {})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            if self.csrf:
                headers["X-CSRFToken"] = self.csrf
        start = time.perf_counter()
        try:
            try:
                reply = self._send(method, path, body, headers)
            except STALE_CONNECTION:
                if method != "GET":
                    raise  # a form is never sent twice: its outcome is unknown
                self.close()  # a keep-alive connection the server had closed: once more
                reply = self._send(method, path, body, headers)
        except TimeoutError:
            self.close()
            self.failures += 1
            self.stats.error(kind, f"{kind}: timeout")
            return None
        except (OSError, http.client.HTTPException) as error:
            self.close()
            self.failures += 1
            self.stats.error(kind, f"{kind}: {type(error).__name__}")
            return None
        took = (time.perf_counter() - start) * 1000
        self.stats.latency[kind].append(took)
        self.stats.samples.append((time.monotonic(), kind, took))
        self._keep_cookies(reply)
        if reply.status >= 500 or reply.status in (408, 429):
            self.stats.error(kind, f"{kind}: HTTP {reply.status}")
        if 300 <= reply.status < 400 and reply.headers.get("location"):
            target = urlsplit(urljoin(f"{self.scheme}://{self.host}{self.prefix}{path}",
                                      reply.headers["location"]))
            follow = target.path[len(self.prefix):] + (f"?{target.query}" if target.query
                                                       else "")
            followed = self.request("page", "GET", follow)
            if followed is not None:
                followed.headers["x-redirected-from"] = str(reply.status)
            return followed
        return reply

    def _keep_cookies(self, reply: Reply) -> None:
        raw = reply.headers.get("set-cookie")
        if not raw:
            return
        jar: SimpleCookie = SimpleCookie()
        jar.load(raw)
        for name, morsel in jar.items():
            if morsel.value:
                self.cookies[name] = morsel.value
            else:
                self.cookies.pop(name, None)


# --- deciding like a trainee ----------------------------------------------------------

@dataclass
class AnswerSheet:
    """The reports of a workshop rebuilt locally from its scenario, by tracking number."""

    reports: dict[str, Any]
    catalogue: Any
    # Mode OPD: (OPD name, tracking number) -> whether it is disposed there wrongly.
    wrong: dict[tuple[str, str], bool] = field(default_factory=dict)

    @classmethod
    def from_scenario(cls, scenario: str, seed: int | None) -> AnswerSheet:
        """Rebuild the plan as the server did for the workshop (same scenario, same seed)."""
        from sandbox.app import create_app
        from sandbox.domain.errors import DomainError
        from sandbox.domain.scenario import OPD_MODE, opd_units
        from sandbox.services.catalogue import get_catalogue
        from sandbox.services.practice import scenario_plan

        # An app only for the settings that find scenario and catalogue files (the same
        # LAPOR_* variables as the server's); its database is in memory and never used.
        app = create_app(SECRET_KEY=secrets.token_hex(16), SQLALCHEMY_DATABASE_URI="sqlite://")
        wrong: dict[tuple[str, str], bool] = {}
        with app.app_context():
            try:
                plan = scenario_plan(scenario, seed, session_only=True)
                catalogue = get_catalogue(plan.region_file)
                if plan.settings.get("mode") == OPD_MODE:  # every OPD has its own reports
                    for unit in opd_units(catalogue):
                        for item, script in scenario_plan(scenario, seed,
                                                          unit=unit.code).complaints:
                            wrong[unit.name, item.tracking_no] = bool(
                                (script or {}).get("instansi", {}).get("wrong"))
            except DomainError as error:
                raise BotSetupError(f"scenario {scenario!r}: {error.message}") from None
        reports = {item.tracking_no: SimpleNamespace(
            answer_key=asdict(item.key), text=item.text, reporter=asdict(item.reporter))
            for item, _script in plan.complaints}
        return cls(reports, catalogue, wrong)

    def decide(self, tracking_no: str, again: bool, skill: float,
               rng: random.Random) -> tuple[str, dict[str, Any]] | None:
        """The simulated trainee's decision on a report in BARU, or None if unknown."""
        from sandbox.services.simulated import _first_look, _second_look

        report = self.reports.get(tracking_no)
        if report is None:
            return None
        look = _second_look if again else _first_look
        action, form = look(report, self.catalogue, skill, rng)
        return action, form


def follow_up(judul: str, skill: float, final: bool, rng: random.Random) -> dict[str, str]:
    """A follow-up whose quality follows skill: concrete with a plan, or vague."""
    words = {**TL_WORDS, "topic": f"«{judul}»" if judul else "hal yang Anda sampaikan"}
    if rng.random() < skill:
        return {"isi": rng.choice(CONCRETE_TL).format(**words), "akhir": "1" if final else ""}
    return {"isi": rng.choice(VAGUE_TL), "akhir": "1" if final else ""}


def guess(page: Page, rng: random.Random) -> tuple[str, dict[str, Any]] | None:
    """A decision on a report in BARU from what the page offers only, at random."""
    weights = {"verifikasi": 7, "tunda": 1, "arsipkan": 1, "bukan_wewenang": 1}
    offered = [a for a in weights if a in page.buttons]
    if not offered:
        return None
    action = rng.choices(offered, [weights[a] for a in offered])[0]
    first = page.text.split(".")[0][:80].strip()
    judul = first if len(first) >= 10 else page.text[:80].strip() or "Laporan warga"
    if action == "verifikasi":
        return action, {"judul": judul}  # klasifikasi, kategori, unit: drawn from the form
    if action == "tunda":
        return action, {"pertanyaan": rng.choice(QUESTIONS)}
    return action, {"catatan": ""}


# --- the bots -------------------------------------------------------------------------

@dataclass
class BotSettings:
    """What `lapor-sandbox bots` was asked for."""

    url: str
    code: str = ""
    count: int = 10
    skill: float = 0.8
    think: float = 15.0
    duration: float = 60.0
    seed: int = 2026
    ramp: float = 10.0
    timeout: float = 30.0
    scenario: str | None = None
    session_seed: int | None = None
    act: bool = True  # False: join and poll only (bench/load.py's pulse phase)
    only_polls: tuple[str, ...] = ()  # poll only these kinds (e.g. ("pulse",)); () = all


def poll_kind(url: str) -> str:
    """The endpoint kind a poll or a refresh is timed under."""
    path = urlsplit(url).path
    if path.startswith("/denyut"):
        return "pulse"
    if path.startswith("/kotak-masuk"):
        return "inbox"
    if path.startswith("/laporan/"):
        return "report"
    return "poll"


def triggered(reply: Reply) -> set[str]:
    """The events a response's HX-Trigger header fires: names, or a JSON object's keys."""
    header = reply.headers.get("hx-trigger", "").strip()
    if header.startswith("{"):
        with suppress(ValueError):
            return set(json.loads(header))
        return set()
    return {name.strip() for name in header.split(",") if name.strip()}


class Bot:
    """One simulated trainee, run by its own thread."""

    def __init__(self, number: int, settings: BotSettings, stats: Stats, stop: threading.Event,
                 sheet: AnswerSheet | None, start_at: float) -> None:
        self.number, self.settings, self.stats, self.stop = number, settings, stats, stop
        self.sheet, self.start_at = sheet, start_at
        self.rng = random.Random(settings.seed * 100_003 + number)  # noqa: S311 - a simulation
        self.browser = Browser(settings.url, stats, settings.timeout)
        self.rows: dict[str, str] = {}
        self.seen: set[str] = set()  # reports acted on once (a second look is different)
        self.polls: list[tuple[str, float]] = []
        self.listeners: list[tuple[str, str]] = []  # (event, region URL) on the page
        self.joined = False
        self.opd: str | None = None  # mode OPD: the OPD (name) this bot answers for

    def name(self) -> str:
        return f"Bot {self.settings.seed % 1000:03d}-{self.number + 1:04d}"

    def join(self) -> str | None:
        """Join through the join page; None when joined, else why not (one line)."""
        code = self.settings.code
        reply = self.browser.request("join", "GET", f"/ikut/{code}")
        if reply is None:
            return "the join page did not load"
        if reply.status != 200 or "join-form" not in reply.text:
            return f"GET /ikut/{code} answered {reply.status}, not the join page"
        page = read_page(reply.text)
        # Mode OPD: the form lists the session's OPDs; the bot is the admin penghubung of one.
        offered = [o for o in page.forms["join-form"].options.get("unit_name", []) if o]
        self.opd = self.rng.choice(offered) if offered else None
        fields = {**page.forms["join-form"].fields, "code": code, "name": self.name(),
                  "unit_name": self.opd or self.rng.choice(UNITS)}
        # Mode tim: the first free seat offered, so tables fill up one team at a time.
        seats = [o for o in page.forms["join-form"].options.get("kursi", []) if o]
        if seats:
            fields["kursi"] = seats[0]
        self.browser.csrf = page.csrf or fields.get("csrf_token")
        reply = self.browser.request("join", "POST", "/ikut", fields)
        again = read_page(reply.text).forms.get("not-me-form") if reply is not None else None
        if again is not None:  # the name is taken (an earlier run): "Bukan saya, ... baru"
            reply = self.browser.request("join", "POST", "/ikut", again.fields)
        if reply is None:
            return "the join form got no answer"
        if "x-redirected-from" not in reply.headers or reply.status != 200:
            errors = read_page(reply.text).field_errors
            return (f"the join was refused ({reply.status}): "
                    f"{errors[0] if errors else reply.text[:120]!r}")
        self.on_page(reply.text)
        return None

    def on_page(self, html: str) -> None:
        """A full page loaded: its pollers, listeners, token and (on the inbox) report list."""
        page = read_page(html)
        self.browser.csrf = page.csrf or self.browser.csrf
        only = self.settings.only_polls
        self.polls = [(unescape(url), every) for url, every in page.polls
                      if not only or poll_kind(url) in only]
        self.listeners = [(event, unescape(url)) for event, url in page.listeners]
        rows = inbox_rows(html)
        if rows is not None:
            self.rows = rows

    def run(self) -> None:
        if not self.joined:
            if self.stop.wait(max(0.0, self.start_at - time.monotonic())):
                return
            unanswered = self.browser.failures
            why = self.join()
            if why is not None:
                self.stats.count("join failed")
                if self.browser.failures == unanswered:  # a refusal, not a lost request
                    self.stats.error("join", f"join: {why}")
                self.browser.close()
                return
            self.joined = True
            self.stats.count("joined")
            self.stats.last_join = max(self.stats.last_join,
                                       time.monotonic() - self.stats.begin)
        self.loop()
        self.browser.close()

    def loop(self) -> None:
        now = time.monotonic()
        # htmx's "every Ns" first fires N seconds after the page loaded.
        due: dict[str, float] = {url: now + every for url, every in self.polls}
        every = dict(self.polls)
        think = self.settings.think
        next_act = now + think * self.rng.uniform(0.5, 1.5)
        while True:
            timers = [*due.items(), ("", next_act)] if self.settings.act else [*due.items()]
            if not timers:
                return
            url, at = min(timers, key=lambda t: t[1])
            if self.stop.wait(max(0.0, at - time.monotonic())):
                return
            self.stats.lag.append(max(0.0, time.monotonic() - at) * 1000)
            if url == "":
                reloaded = self.act()
                next_act = time.monotonic() + think * self.rng.uniform(0.5, 1.5)
                if reloaded:  # the inbox page reloaded: its pollers start again
                    now = time.monotonic()
                    every = dict(self.polls)
                    due = {u: now + e for u, e in self.polls}
                continue
            fresh = self.poll(url)
            if fresh != url:  # the swapped-in element polls with its new version
                every[fresh] = every.pop(url)
                del due[url]
                self.polls = [(fresh if u == url else u, e) for u, e in self.polls]
                url = fresh
            due[url] = at + every[url]
            if due[url] < time.monotonic():  # a slow server: htmx does not catch up either
                due[url] = time.monotonic() + every[url]

    def poll(self, url: str) -> str:
        """Poll as htmx does; returns the URL to poll next. A 204 keeps everything as it
        is; a pulse that answers 200 comes back polling with its new version (`?v=…`),
        and the regions listening to the events it triggers are refreshed."""
        kind = poll_kind(url)
        reply = self.browser.request(kind, "GET", url, htmx=True)
        if reply is None or reply.status != 200:
            return url
        events = triggered(reply)
        for event, region in list(self.listeners):
            if event in events:
                self.refresh(region)
        polled = [unescape(u) for u, _ in read_page(reply.text).polls
                  if poll_kind(unescape(u)) == kind]
        return polled[0] if polled else url

    def refresh(self, url: str) -> None:
        """Fetch a region again as htmx does on its event, and read the new one."""
        reply = self.browser.request(poll_kind(url), "GET", url, htmx=True)
        if reply is None or reply.status != 200:
            return
        rows = inbox_rows(reply.text)
        if rows is not None:
            self.rows = rows
        # The swapped-in region listens again, perhaps at another address.
        fresh = [(event, unescape(u)) for event, u in read_page(reply.text).listeners]
        self.listeners = [(e, u) for e, u in self.listeners if u != url] + fresh

    def _pick(self) -> str | None:
        waiting = [(no, state) for no, state in self.rows.items()
                   if state in TRAINEE_STATES_TO_ACT]
        if not waiting:
            return None
        order = {state: i for i, state in enumerate(TRAINEE_STATES_TO_ACT)}
        # The inbox lists newest first; a careful trainee takes the oldest waiting report.
        waiting.sort(key=lambda item: order[item[1]])
        if self.rng.random() < self.settings.skill:
            first = [no for no, state in waiting if state == waiting[0][1]]
            return first[-1]
        return self.rng.choice(waiting)[0]

    def act(self) -> bool:
        """Open one waiting report, decide, open that action's form, save it, go back;
        whether the inbox page was loaded again (an idle look stays on the page)."""
        number = self._pick()
        if number is None:
            self.stats.count("idle looks")
            return False
        reply = self.browser.request("report", "GET", f"/laporan/{number}")
        if reply is None or reply.status != 200:
            return False
        page = read_page(reply.text)
        self.browser.csrf = page.csrf or self.browser.csrf
        decision = self.decide(number, page)
        if decision is not None:
            self.save(number, *decision)
        back = self.browser.request("page", "GET", "/kotak-masuk")
        if back is not None and back.status == 200:
            self.on_page(back.text)
        return True

    def decide(self, number: str, page: Page) -> tuple[str, dict[str, Any]] | None:
        skill, rng = self.settings.skill, self.rng
        if page.state == "BARU":
            decision = None
            if self.sheet is not None:
                decision = self.sheet.decide(number, number in self.seen, skill, rng)
                self.stats.count("from the answer sheet" if decision else "not in the sheet")
            decision = decision or guess(page, rng)
            self.seen.add(number)
            return decision
        if self.opd and page.state == "TERDISPOSISI" and "kembalikan" in page.buttons:
            return self.receive(number, page)
        if page.state in ("TERDISPOSISI", "DIPROSES") and "tindak_lanjut" in page.buttons:
            final = page.state == "DIPROSES" and rng.random() < 0.3 + 0.4 * skill
            return "tindak_lanjut", follow_up(page.heading, skill, final, rng)
        return None

    def receive(self, number: str, page: Page) -> tuple[str, dict[str, Any]]:
        """Mode OPD: return a disposition it judges wrong, answer one it judges right;
        right as often as its skill says (by the answer sheet, or a guess without one)."""
        skill, rng = self.settings.skill, self.rng
        known = self.sheet.wrong.get((str(self.opd), number)) if self.sheet else None
        wrong = known if known is not None else rng.random() < GUESSED_WRONG
        if rng.random() >= skill:
            wrong = not wrong
        if wrong:
            return "kembalikan", {"alasan": rng.choice(RETURN_REASONS)}
        return "tindak_lanjut", follow_up(page.heading, skill, False, rng)

    def save(self, number: str, action: str, wanted: dict[str, Any]) -> None:
        """Open the action's form (htmx), fill it as decided, and post it."""
        path = f"/laporan/{number}/aksi/{action}"
        reply = self.browser.request("report", "GET", path, htmx=True)
        if reply is None or reply.status != 200:
            return
        form = read_page(reply.text).forms.get(f"form-{action}")
        if form is None:
            self.stats.count("form not offered")
            return
        fields = dict(form.fields)
        for name, options in form.options.items():
            value = str(wanted.get(name, ""))
            fields[name] = value if value in options else self.rng.choice(options)
        for name in form.texts:
            fields[name] = str(wanted.get(name, ""))
        for name in ("judul", "rahasia", "anonim", "akhir"):
            if wanted.get(name):
                fields[name] = "1" if wanted[name] is True else str(wanted[name])
        self.stats.count("sent")
        answer = self.browser.request("action", "POST", form.action or path, fields, htmx=True)
        if answer is None:
            self.stats.count("unknown outcome")
        elif acknowledged(answer):
            self.stats.count("acknowledged")
        else:
            errors = read_page(answer.text).field_errors
            self.stats.count("refused")
            with self.stats.lock:
                self.stats.refusals[f"{answer.status} {errors[0] if errors else ''}"[:100]] += 1


def acknowledged(reply: Reply) -> bool:
    """A saved action: a redirect (no-JS form), an HX-Redirect, or the 'Tercatat' notice."""
    if reply.headers.get("x-redirected-from") or reply.headers.get("hx-redirect"):
        return reply.status < 400
    return 200 <= reply.status < 300 and "Tercatat:" in reply.text


def check_room(settings: BotSettings) -> None:
    """Fail fast in one line: the server is not there, is not this app, or the code is
    unknown. Joins no one."""
    stats = Stats()
    browser = Browser(settings.url, stats, min(settings.timeout, 10.0))
    try:
        reply = browser.request("join", "GET", f"/ikut/{settings.code}")
    finally:
        browser.close()
    if reply is None:
        reason = next(iter(stats.errors), "no answer").split(": ", 1)[-1]
        raise BotSetupError(f"cannot reach {settings.url} ({reason})")
    if reply.status != 200 or "join-form" not in reply.text:
        raise BotSetupError(f"{settings.url} does not look like a Sandbox LAPOR! server "
                            f"(GET /ikut/{settings.code} answered {reply.status})")


@dataclass
class Viewer:
    """A facilitator's screen kept open (dashboard, projector): signs in, loads `path`, and
    polls what the page polls."""

    username: str
    password: str
    path: str


def _watch(viewer: Viewer, settings: BotSettings, stats: Stats, stop: threading.Event) -> None:
    browser = Browser(settings.url, stats, settings.timeout)
    reply = browser.request("login", "GET", "/fasilitator/masuk")
    if reply is None:
        return
    page = read_page(reply.text)
    fields = {**page.forms.get("login-form", Form("")).fields, "username": viewer.username,
              "password": viewer.password}
    browser.csrf = page.csrf
    reply = browser.request("login", "POST", "/fasilitator/masuk", fields)
    if reply is None or "x-redirected-from" not in reply.headers:
        stats.error("login", "viewer: sign-in refused")
        return
    kind = "projector" if viewer.path.rstrip("/").endswith("/layar") else "dashboard"
    reply = browser.request(kind, "GET", viewer.path)
    if reply is None or reply.status != 200:
        return
    polls = read_page(reply.text).polls
    due = {unescape(url): time.monotonic() + every for url, every in polls}
    every = {unescape(url): e for url, e in polls}
    while due:
        url, at = min(due.items(), key=lambda t: t[1])
        if stop.wait(max(0.0, at - time.monotonic())):
            break
        browser.request(kind, "GET", url, htmx=True)
        due[url] = max(at + every[url], time.monotonic())
    browser.close()


def run_bots(settings: BotSettings, viewers: Sequence[Viewer] = (),
             stop: threading.Event | None = None,
             on_start: Callable[[Stats], None] | None = None) -> dict[str, Any]:
    """Run the room for `settings.duration` seconds (or until `stop`); the summary.
    `on_start` gets the run's live Stats once the bots are started."""
    sheet = None
    if settings.scenario and settings.act:
        sheet = AnswerSheet.from_scenario(settings.scenario, settings.session_seed)
    stop = stop or threading.Event()
    stats = Stats()
    begin = stats.begin
    spread = settings.ramp / settings.count if settings.count else 0.0
    bots = [Bot(i, settings, stats, stop, sheet, begin + i * spread)
            for i in range(settings.count)]
    # A thread per bot; they mostly wait, so a small stack lets a thousand fit easily.
    previous = threading.stack_size(256 * 1024)
    try:
        threads = [threading.Thread(target=bot.run, name=f"bot-{bot.number}", daemon=True)
                   for bot in bots]
        threads += [threading.Thread(target=_watch, args=(viewer, settings, stats, stop),
                                     daemon=True) for viewer in viewers]
    finally:
        threading.stack_size(previous)
    cpu_before = _cpu_seconds()
    if bots:  # the first joins alone: a wrong code stops the run before a thousand try it
        why = bots[0].join()
        if why is not None:
            bots[0].browser.close()
            raise BotSetupError(f"could not join session {settings.code}: {why}")
        bots[0].joined = True
        stats.count("joined")
    for thread in threads:
        thread.start()
    if on_start is not None:
        on_start(stats)
    try:
        with suppress(KeyboardInterrupt):  # Ctrl+C ends the run early, with its summary
            stop.wait(settings.duration)
    finally:
        stop.set()
        for thread in threads:
            thread.join(settings.timeout + 5)
    elapsed = time.monotonic() - begin
    return summarize(stats, settings, elapsed, _cpu_seconds() - cpu_before)


def _cpu_seconds() -> float:
    return time.process_time()  # this process's CPU, all threads, user and system


def summarize(stats: Stats, settings: BotSettings, elapsed: float,
              cpu: float) -> dict[str, Any]:
    """The run's figures as one JSON-ready dict."""
    endpoints = {}
    for kind in KINDS:
        values = stats.latency[kind]
        if not values and not stats.failed[kind]:
            continue
        endpoints[kind] = {
            "requests": len(values), "failed": stats.failed[kind],
            **{f"p{p}_ms": _round(percentile(values, p / 100)) for p in (50, 95, 99)}}
    everything = [v for values in stats.latency.values() for v in values]
    room = [v for kind in ROOM_KINDS for v in stats.latency[kind]]
    ledger = stats.ledger
    return {
        "bots": settings.count, "joined": ledger["joined"], "seconds": round(elapsed, 1),
        "actions": {"sent": ledger["sent"], "acknowledged": ledger["acknowledged"],
                    "refused": ledger["refused"], "unknown_outcome": ledger["unknown outcome"]},
        "requests": len(everything),
        "requests_per_second": round(len(everything) / elapsed, 1) if elapsed else 0.0,
        "all": {f"p{p}_ms": _round(percentile(everything, p / 100)) for p in (50, 95, 99)},
        # What trainees wait for once joined: pages, polls, reports and actions.
        "room": {f"p{p}_ms": _round(percentile(room, p / 100)) for p in (50, 95, 99)},
        "all_joined_after_s": round(stats.last_join, 1),
        "endpoints": endpoints,
        "errors": dict(stats.errors.most_common()),
        "refusals": dict(stats.refusals.most_common(5)),
        "answer_sheet": {"used": ledger["from the answer sheet"],
                         "not_in_sheet": ledger["not in the sheet"]},
        "client": {"cpu_seconds": round(cpu, 2),
                   "cpu_share": round(cpu / elapsed, 2) if elapsed else 0.0,
                   "p95_wake_lag_ms": _round(percentile(stats.lag, 0.95))},
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def format_summary(summary: dict[str, Any]) -> str:
    """The summary as a few lines for a person."""
    actions = summary["actions"]
    lines = [
        f"{summary['joined']} of {summary['bots']} bots joined (the last after "
        f"{summary['all_joined_after_s']} s); {summary['seconds']} s; "
        f"{summary['requests']} requests ({summary['requests_per_second']}/s)",
        f"actions: {actions['sent']} sent, {actions['acknowledged']} acknowledged, "
        f"{actions['refused']} refused, {actions['unknown_outcome']} of unknown outcome",
        f"{'endpoint':<9}{'requests':>9}{'failed':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}",
    ]
    for kind, row in summary["endpoints"].items():
        cells = [f"{row[k]:>9.1f}" if row[k] is not None else f"{'-':>9}"
                 for k in ("p50_ms", "p95_ms", "p99_ms")]
        lines.append(f"{kind:<9}{row['requests']:>9}{row['failed']:>8}{''.join(cells)}")
    errors = summary["errors"]
    lines.append("errors: " + (", ".join(f"{k} × {v}" for k, v in errors.items())
                               if errors else "none"))
    if summary["refusals"]:
        lines.append("refused: " + ", ".join(f"{k} × {v}"
                                             for k, v in summary["refusals"].items()))
    sheet = summary["answer_sheet"]
    if sheet["used"] or sheet["not_in_sheet"]:
        lines.append(f"answer sheet: {sheet['used']} decisions followed it; "
                     f"{sheet['not_in_sheet']} reports were not in it (guessed)")
    client = summary["client"]
    lines.append(f"bot process: {client['cpu_seconds']} s CPU ({client['cpu_share']:.0%} of one "
                 f"core), p95 wake-up lag {client['p95_wake_lag_ms']} ms")
    return "\n".join(lines)
