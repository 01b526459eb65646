"""The Teach tab's handlers, for the page and for the API: plain functions of plain values.

Page handlers take the inputs their *_INPUTS tuple names, in that order, and return (or yield) dicts
keyed by output names (teach_tab.py binds names to components). API handlers take their parameters
and return (the result as a dict, the visitor). The work itself is app_server.classes'.
"""

import functools
import html
import ipaddress
import json
import os
import re
import shlex
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import gradio as gr
import numpy as np

from app_server import classes
from app_server.callers import caller
from app_server.errors import ClassroomError, Refusal
from app_server.hosting import MB, room_for
from app_server.running import Unread
from app_server.runs import Waiting
from app_server.visitors import STORE, Visitor, visitor_of
from mnist_model import MnistModelError
from mnist_model.not_digits import NOT_A_DIGIT
from mnist_model.preprocess import load_picture
from mnist_model.teach import Judgement, Taught, prepare
from mnist_model.train_events import Progress
from mnist_model.training_run import Loading

from . import visual
from .components import MAX_PAGE_PARAMETERS, DigitAsked, drawing_picture
from .errors import PageMessage
from .gradio_internals import expose, unread_messages
from .page import LOG, activate, active, describe_model, model_key, user_messages
from .render import answer_text, data_url, digit_figures, loading_html, progress_html, waiting_html
from .texts import text

SHOWN_PER_DIGIT = 24  # the collection shows each digit's latest drawings (the counts say how many in all)
POLL_SECONDS = 1.5  # how often a page in a class asks what is new
MAX_STROKES_TEXT = 64 * 1024  # characters of a drawing's strokes as JSON (2000 points take about 30 k)
IMPORT_MEMORY = 128 * MB  # an imported file at its bounds, parsed (77 MB measured): held in the models' budget meanwhile


def prepare_in_background() -> threading.Thread:
    """Have a class's first Teach find MNIST read and the pen-written digits, letters and doodles
    drawn (mnist_model's teach.prepare: some 46 s of one core on a machine's first start, 2 s once
    the drawings are on its disk), without holding up the start."""
    def work():
        try:
            if not prepare():
                LOG.info("MNIST is not on disk yet: the first training run, Step or teaching downloads it "
                         "(or set MNIST_DATA_DIR to a folder that has it)")
        except (MnistModelError, OSError) as exc:  # the first teaching then meets it, and says so
            LOG.warning("could not prepare teaching: %s", str(exc)[:200])

    thread = threading.Thread(target=work, name="prepare-teaching", daemon=True)
    thread.start()
    return thread


# --- what the page shows ---------------------------------------------------------------------------


def asking(digit: int, lang: str = "en") -> dict:
    """The prompt's props (components.DigitAsked) asking for `digit`: "Draw a 7", in `lang`."""
    return {"value": DigitAsked.words(digit, lang), "digit": digit}


def collection_view(visitor: Visitor, key, lang: str) -> dict:
    """The collection's drawings grouped by digit, each with the active model's guess (mistakes marked),
    and whether the viewer may delete them: components.CollectionGallery's `collection`."""
    member = classes.membership(visitor, key)
    drawings = classes.drawings(visitor, key)
    guesses = active(visitor).probabilities_of(np.stack([d.input for d in drawings])).argmax(1).tolist() \
        if drawings else []
    groups = []
    for digit in range(NOT_A_DIGIT + 1):
        mine = [(d, g) for d, g in zip(drawings, guesses) if d.digit == digit]
        if digit == NOT_A_DIGIT and not mine:
            continue  # (a class that added nothing but digits)
        groups.append({"digit": digit, "count": len(mine), "wrong": sum(g != digit for _, g in mine), "items": [
            {"id": d.id, "image": data_url(visual.gray(d.input)), "guess": g, "student": d.student}
            for d, g in mine[-SHOWN_PER_DIGIT:]]})
    return {"groups": groups, "deletable": member.teaches, "total": len(drawings)}


def counts_html(counts: dict, member: classes.Membership, lang: str) -> str:
    """How many drawings: per digit, and (a teacher's) per student; a student sees their own count."""
    if member.role == "student":  # (no thanks before the first drawing)
        said = text("student_count" if counts["total"] else "student_none", lang, number=member.number,
                    count=counts["total"])
        return f'<div class="class-counts student">{said}</div>'

    digits = counts["digits"]
    shown = digits if digits[NOT_A_DIGIT] else digits[:NOT_A_DIGIT]  # (the not-a-digit column once it has any)
    cells = "".join(f"<td>{n}</td>" for n in shown)
    head = "".join(f"<th>{answer_text(d)}</th>" for d in range(len(shown)))
    table = (f'<div class="table-fit"><table class="digit-counts"><caption>'
             f'{text("counts_per_digit", lang, total=counts["total"])}</caption>'
             f"<tr>{head}</tr><tr>{cells}</tr></table></div>")
    roster = ""
    if member.role == "teacher":
        people = ", ".join(f"#{n}: {c}" for n, c in sorted(counts["students"].items())) or "—"
        roster = f'<p class="roster">{text("counts_per_student", lang, count=len(counts["students"]))} {people}</p>'
    return f'<div class="class-counts">{table}{roster}</div>'


def join_address(request: gr.Request | None) -> tuple[str, str | None]:
    """The address a class's phones open: $MNIST_APP_PUBLIC_URL when the host sets it, else the page's
    own as its visitor reached it, except on this very machine (a classroom laptop's teacher opens
    http://127.0.0.1:7860, which on a phone is the phone): then this machine's address on its
    network, when the server listens there. With it, the key of the words that say why no phone can
    reach this server (None when they can)."""
    if os.environ.get("MNIST_APP_PUBLIC_URL"):
        return os.environ["MNIST_APP_PUBLIC_URL"], None
    headers = {} if request is None else request.headers
    host = page_host(request)
    scheme = (headers.get("x-forwarded-proto") or "http").split(",")[0].strip().lower()
    scheme = scheme if scheme in ("http", "https") else "http"
    name, port = _split_host(host)
    if not _is_loopback(name, unspecified=True):
        return f"{scheme}://{host}", None
    listening = os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1")
    if _is_loopback(listening):
        return f"{scheme}://{host}", "class_loopback_only"
    address = network_address() if listening in ("0.0.0.0", "::", "") else listening
    if address is None:
        return f"{scheme}://{host}", "class_no_network"
    address = f"[{address}]" if ":" in address else address
    return f"{scheme}://{address}" + (f":{port}" if port else ""), None


# the variables a server is started with that its restart must keep (its port, its folders, MNIST's)
RESTART_KEEPS = ("GRADIO_SERVER_PORT", "MNIST_DATA_DIR", "MNIST_APP_DIR", "MNIST_APP_DATA_DIR")


def restart_command(port: str = "") -> str:
    """This server's start again, listening on its network too: `python app.py` with the variables
    (RESTART_KEEPS) it was started with, as a shell takes them, and `port`, the one the page reached
    it at, when given (Gradio takes another than 7860 when that one is taken). (Said only to a page
    opened on this very machine, to a server that no other can reach.)"""
    values = {name: os.environ.get(name, "") for name in RESTART_KEEPS}
    if port:
        values["GRADIO_SERVER_PORT"] = "" if port == "7860" else port  # (Gradio's own, said by no one)
    kept = " ".join(f"{name}={shlex.quote(values[name])}" for name in RESTART_KEEPS if values[name])
    return f"GRADIO_SERVER_NAME=0.0.0.0 {kept + ' ' if kept else ''}python app.py"


HOST = re.compile(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?")  # a Host header's name (or IPv6) and port


def page_host(request: gr.Request | None) -> str:
    """The name and port the page was reached at, as its Host header (or a proxy's) says; this
    machine's default when they are not a name and a port (a caller's own headers reach no link)."""
    headers = {} if request is None else request.headers
    host = (headers.get("x-forwarded-host") or headers.get("host") or "").split(",")[0].strip()
    return host if HOST.fullmatch(host) else "127.0.0.1:7860"


def _split_host(host: str) -> tuple[str, str]:
    """A Host header's name (an IPv6 address without its brackets) and port ("" when none)."""
    if host.startswith("["):
        name, _, rest = host[1:].partition("]")
        return name, rest.lstrip(":")
    name, _, port = host.partition(":")
    return name, port


def _is_loopback(name: str, unspecified: bool = False) -> bool:
    """Whether `name` is a loopback address or name; with `unspecified`, also the unspecified address
    (a page opened at http://0.0.0.0:7860, which a phone cannot open either)."""
    try:
        address = ipaddress.ip_address(name)
        return address.is_loopback or (unspecified and address.is_unspecified)
    except ValueError:
        return name.lower() == "localhost" or name.lower().endswith(".localhost")


NETWORK_CHECKED = 30.0  # seconds: a teacher's page asks for its class card every few seconds


def network_address() -> str | None:
    """This machine's IPv4 address on its network, None when it has none (looked up once every
    NETWORK_CHECKED seconds)."""
    return _network_address(int(time.monotonic() // NETWORK_CHECKED))


@functools.lru_cache(maxsize=1)
def _network_address(_period: int) -> str | None:
    """No packet is sent: a UDP socket's connect only asks the system which interface would route to
    a documentation address (TEST-NET-1, never routed). A loopback or link-local answer is none."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            address = ipaddress.ip_address(probe.getsockname()[0])
    except OSError:
        return None
    return None if address.is_loopback or address.is_link_local or address.is_unspecified else str(address)


def class_card(member: classes.Membership, request: gr.Request | None, lang: str) -> str:
    """The class's code, its join link and the link as a QR code, for the teacher's screen; first, when
    no phone can reach this server, why and what to do (the link still serves this machine's own
    browsers)."""
    if member.role != "teacher":
        return ""
    address, unreachable = join_address(request)
    joining = classes.link(address, member.code)
    warning = ""
    if unreachable:
        said = text(unreachable, lang, command=restart_command(_split_host(page_host(request))[1]))
        warning = f'<p class="class-unreachable" role="alert">{html.escape(said)}</p>'
    return (f'{warning}<div class="class-card"><div class="class-qr">{classes.qr_svg(joining)}</div><div>'
            f'<div class="class-code">{text("class_code", lang)} <b>{member.code}</b></div>'
            f'<p>{text("class_how", lang)}</p>'
            f'<a class="class-link" href="{html.escape(joining)}" target="_blank">{html.escape(joining)}</a></div></div>')


def member_view(visitor: Visitor, key, lang: str, request: gr.Request | None = None) -> dict:
    """Everything of the Teach tab that follows the visitor's place: the class card, counts,
    collection, and which tools show (a student sees the pad, the digit asked and their count)."""
    member = classes.membership(visitor, key)
    in_class = member.role in ("teacher", "student")
    counts = classes.counts(visitor, key)
    member.sees(counts)
    return {"class_card": class_card(member, request, lang), "counts": counts_html(counts, member, lang),
            "collection": collection_view(visitor, key, lang) if member.role != "student" else None,
            "teacher_tools": gr.update(visible=member.teaches), "class_tools": gr.update(visible=member.role == "teacher"),
            "own_tools": gr.update(visible=not in_class), "timer": gr.Timer(active=in_class),
            "students": gr.update(choices=sorted(counts["students"])),
            "remembered": member.code if in_class else "", "role": member.role, "visitor": visitor}


def class_over(visitor: Visitor, lang: str) -> dict:
    """A student's page once their teacher ended the class: said so in their language (not as an
    error), the pad's Add gone (the role "over", class_view.js), no more polls, no class remembered."""
    classes.leave(visitor)
    return {"status": f'<div class="class-ended">{text("class_over_student", lang)}</div>', "counts": "",
            "timer": gr.Timer(active=False), "remembered": "", "role": "over", "visitor": visitor}


def judgement_rows(before: Judgement, after: Judgement, held: list[int], lang: str) -> str:
    """Before and after, per digit, on the held-out drawings (`held`: how many of each digit, and of
    those not a digit, what each figure rests on: one drawing makes 0 or 100 %) and on MNIST's test set."""
    def cell(value) -> str:
        return "—" if value is None else f"{value * 100:.1f}"

    def mnist(judgement: Judgement, answer: int) -> float | None:  # (MNIST has no "not a digit")
        return judgement.mnist_per_digit[answer] if answer < NOT_A_DIGIT else None

    rows = "".join(
        f'<tr><th>{answer_text(d)}</th><td class="count">{held[d]}</td><td>{cell(before.drawings_per_digit[d])}</td>'
        f'<td class="after">{cell(after.drawings_per_digit[d])}</td>'
        f'<td>{cell(mnist(before, d))}</td><td class="after">{cell(mnist(after, d))}</td></tr>'
        for d in range(len(held)) if d < NOT_A_DIGIT or held[d])
    total = (f'<tr class="total"><th>{text("all_digits", lang)}</th><td class="count">{sum(held)}</td>'
             f'<td>{cell(before.drawings)}</td><td class="after">{cell(after.drawings)}</td><td>{cell(before.mnist)}</td>'
             f'<td class="after">{cell(after.mnist)}</td></tr>')
    head = (f'<tr><th></th><th colspan="3">{text("taught_drawings", lang)}</th><th colspan="2">{text("per_digit_mnist", lang)}</th></tr>'
            f'<tr><th></th><th>{text("held_count", lang)}</th><th>{text("before", lang)}</th><th>{text("after", lang)}</th>'
            f'<th>{text("before", lang)}</th><th>{text("after", lang)}</th></tr>')
    return f'<div class="table-fit"><table class="per-digit taught">{head}{rows}{total}</table></div>'


def taught_html(taught: Taught, lang: str, waited: float) -> str:
    """Before and after, honestly: on drawings teaching never saw, and on MNIST's test set, per digit;
    the drawings it now reads right, and any it now reads wrong; `waited`: the seconds from Teach to done."""
    b, a = taught.before, taught.after
    summary = text("taught_summary", lang, seconds=f"{waited:.1f}", taught=taught.taught_on,
                   held=len(taught.held_out), before=f"{(b.drawings or 0):.1%}", after=f"{(a.drawings or 0):.1%}",
                   mnist_before=f"{b.mnist:.2%}", mnist_after=f"{a.mnist:.2%}")

    before = dict(zip((d.id for d in taught.held_out), taught.guesses_before))
    after = dict(zip((d.id for d in taught.held_out), taught.guesses_after))

    def figures(drawings) -> str:
        """Each drawing with the network's old guess and its new one ("was 5, now 6")."""
        if not drawings:
            return "<p>—</p>"
        return digit_figures(np.stack([d.input for d in drawings]),
                             [text("was_now", lang, before=answer_text(before[d.id]), after=answer_text(after[d.id]))
                              for d in drawings],
                             [d.digit != after[d.id] for d in drawings],
                             [text("step_guess", lang, label=answer_text(d.digit), guess=answer_text(after[d.id]))
                              for d in drawings])

    held = [sum(d.digit == digit for d in taught.held_out) for digit in range(NOT_A_DIGIT + 1)]
    right, wrong = taught.now_right, taught.now_wrong
    left_out = "" if not taught.left_out else \
        f'<p class="left-out">{text("teach_left_out", lang, count=taught.left_out)}</p>'
    return (f'<div class="taught"><p>{summary}</p>{left_out}{judgement_rows(b, a, held, lang)}'
            f'<h5>{text("now_right", lang, count=len(right))}</h5>{figures(right)}'
            f'<h5>{text("now_wrong", lang, count=len(wrong))}</h5>{figures(wrong)}</div>')


# --- the page's handlers -----------------------------------------------------------------------------

ENTER_INPUTS = ("key", "remembered", "visitor", "lang")
ADD_INPUTS = ("drawing", "strokes", "digit", "visitor", "key", "lang")


@user_messages
@expose(ENTER_INPUTS, request=True)
def enter(*, key, remembered, visitor, lang, request=None) -> dict:
    """The page opens: a link's class is joined (a teacher's reloaded page resumes its class), and
    the Teach tab shows the visitor's place."""
    visitor = visitor_of(visitor)
    # (the page's address, which Gradio's page sends with its load; read as the page's HTML and its
    # scripts read it, and not as query_params does: the last of two `class` values)
    asked = None if request is None else classes.linked_code(urlsplit(str(getattr(request, "url", ""))).query)
    out = {}
    if asked:
        member = classes.join(visitor, key, asked, caller(request))
        if member.role == "student":
            out["status"] = text("joined", lang, number=member.number, code=member.code)
    elif remembered:
        classes.resume(visitor, key, remembered)
    if classes.adopt(visitor) is not None:  # a student's page (a reloaded phone too) runs the class's model
        out["model"] = model_key(visitor, visitor.get("active"))
    # the digit asked for, in the page's language from the start (its language's change, which words it
    # again, can come before the page listens, or never, when the page's scripts come late)
    return {**out, **member_view(visitor, key, lang, request), "key": classes.secret_of(visitor, key),
            "ask": asking(DigitAsked.FIRST, lang)}


@user_messages
@expose(ADD_INPUTS, request=True)
def add_drawing(*, drawing, strokes, digit, visitor, key, lang, request=None) -> dict:
    """Add the pad's drawing as the digit asked for; then ask for the next digit."""
    visitor = visitor_of(visitor)
    picture = drawing_picture(drawing)
    if picture is None:
        raise Refusal("class_blank")
    parsed = None
    if strokes:
        try:
            if len(strokes) > MAX_STROKES_TEXT:
                raise ValueError("longer than any digit's strokes")
            parsed = json.loads(strokes)
        except (TypeError, ValueError, RecursionError):
            raise ClassroomError("class_bad_strokes") from None
    member = classes.membership(visitor, key)
    try:
        _, counts = classes.add(visitor, key, picture, digit, parsed, caller(request))
    except ClassroomError as exc:
        if exc.key != "class_over" or member.role != "student":
            raise
        return class_over(visitor, lang)  # (the page had not polled since the teacher ended it)
    member.sees(counts)
    digit = int(digit)  # (7 or 7.0: classes.add took it)
    # the next digit; after something that is not a digit, another such (the picker chose it)
    following = digit if digit == NOT_A_DIGIT else (digit + 1) % 10
    added = text("added_not_a_digit", lang) if digit == NOT_A_DIGIT else text("added", lang, digit=digit)
    out = {"status": added, "counts": counts_html(counts, member, lang),
           "digit": following, "ask": asking(following, lang), "visitor": visitor}
    if member.role != "student":
        out["collection"] = collection_view(visitor, key, lang)
    return out


@user_messages
def start_class(visitor, key, lang: str = "en", request: gr.Request | None = None) -> dict:
    visitor = visitor_of(visitor)
    member = classes.start(visitor, key, caller(request))
    return {**member_view(visitor, key, lang, request), "status": text("class_started", lang, code=member.code),
            **END_ASKED_NOT}


@user_messages
def join_class(code, visitor, key, lang: str = "en", request: gr.Request | None = None) -> dict:
    visitor = visitor_of(visitor)
    member = classes.join(visitor, key, code, caller(request))
    return {**member_view(visitor, key, lang, request),
            "status": text("joined", lang, number=member.number, code=member.code)}


# End the class, not asked about: its question hidden (a class's End asks again, whatever ended the one before)
END_ASKED_NOT = {"end": gr.update(visible=True), "end_confirm": gr.update(visible=False)}


@user_messages
def end_class(visitor, key, lang: str = "en", request: gr.Request | None = None) -> dict:
    visitor = visitor_of(visitor)
    classes.end(visitor, key)
    return {**member_view(visitor, key, lang, request), "status": text("class_ended", lang), **END_ASKED_NOT}


@user_messages
def teach_stream(visitor, key, lang: str = "en", request: gr.Request | None = None) -> Iterator[dict]:
    """Teach the network the collection, with its place in line and its progress, then before and
    after; the taught model becomes the visitor's active one (and can be downloaded)."""
    clicked = time.monotonic()  # the time shown is the time waited: in line, loading, teaching, judging
    visitor = visitor_of(visitor)
    taught = None
    for event in classes.teaching(visitor, key, active(visitor), Unread(lambda: unread_messages(request)),
                                  report_every=0.5):
        if isinstance(event, Waiting):
            yield {"teach_progress": waiting_html(event.place, event.eta, lang)}
        elif isinstance(event, Loading):
            yield {"teach_progress": loading_html(event.what, event.done, event.total, lang)}
        elif isinstance(event, Progress):
            yield {"teach_progress": progress_html(event, lang)}
        elif isinstance(event, Taught):
            taught = event
    if taught is None:
        yield {"teach_progress": progress_html(None, lang, text("teach_stopped", lang))}
        return
    visitor.put("trained", taught.classifier)
    new_visitor, model, info = activate(visitor, taught.classifier, lang)
    yield {"teach_progress": progress_html(None, lang, text("taught", lang)),
           "results": taught_html(taught, lang, waited=time.monotonic() - clicked),
           "visitor": new_visitor, "model": model, "model_info": info,
           "download_taught": gr.DownloadButton(value=str(visitor.download(taught.classifier)), interactive=True),
           "collection": collection_view(visitor, key, lang),
           "use": gr.Button(interactive=True), "save": gr.Button(interactive=True)}  # (Train tab: Save keeps it)


@user_messages
def publish_model(visitor, key, lang: str = "en") -> dict:
    visitor = visitor_of(visitor)
    version = classes.publish(visitor, key, active(visitor), MAX_PAGE_PARAMETERS)
    return {"status": text("published", lang, version=version), "model_info": describe_model(visitor, lang)}


@user_messages
def remove_student(number, visitor, key, lang: str = "en", request: gr.Request | None = None) -> dict:
    visitor = visitor_of(visitor)
    if number is None:
        raise PageMessage("pick_student")
    classes.remove_student(visitor, key, number)
    return {**member_view(visitor, key, lang, request), "status": text("student_removed", lang, number=number)}


@user_messages
def delete_drawing(action, visitor, key, lang: str = "en", request: gr.Request | None = None) -> dict:
    """The collection's delete button: its value names the drawing ({"delete": id})."""
    visitor = visitor_of(visitor)
    if not isinstance(action, dict) or not isinstance(action.get("delete"), int):
        return {"status": gr.skip()}
    classes.delete(visitor, key, action["delete"])
    return member_view(visitor, key, lang, request)


def poll(visitor, key, lang: str = "en", request: gr.Request | None = None) -> dict:
    """A page in a class, every few seconds: a teacher's new drawings and students; a student's newly
    published model, or the end of their class. Nothing is sent when nothing changed."""
    nothing = {"status": gr.skip()}
    if visitor is None or visitor.membership is None:
        return nothing
    member = visitor.membership
    try:
        if member.role == "student":
            try:
                classes.counts(visitor, key)  # (a student's own: one small query) ...
            except ClassroomError as exc:
                if exc.key == "class_over":  # ... that says when the teacher has ended the class
                    return class_over(visitor, lang)
                raise
            if classes.adopt(visitor) is None:
                return nothing
            return {"model": model_key(visitor, visitor.get("active")), "status": text("class_model_arrived", lang)}
        counts = classes.counts(visitor, key)
    except Refusal:  # the class ended meanwhile (or the session expired): the page shows it at its next action
        return nothing
    if not member.sees(counts):
        return nothing
    return member_view(visitor, key, lang, request)


@user_messages
def export_collection(visitor, key, lang: str = "en", request: gr.Request | None = None) -> dict:
    visitor = visitor_of(visitor)
    data = classes.export(visitor, key, caller(request))
    room_for(len(data))
    path = visitor.downloads / f"collection-{time.strftime('%Y%m%d-%H%M')}.json.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return {"export_file": gr.File(value=str(path), visible=True)}


@user_messages
def import_collection(path, visitor, key, lang: str = "en", request: gr.Request | None = None) -> dict:
    visitor = visitor_of(visitor)
    if path is None:
        raise PageMessage("no_upload_collection")
    if os.path.getsize(path) > classes.store().limits.export_bytes:
        raise ClassroomError("class_bad_file")
    with open(path, "rb") as f, STORE.reserve(IMPORT_MEMORY):
        count = classes.import_collection(visitor, key, f.read(), caller(request))
    return {**member_view(visitor, key, lang, request), "status": text("imported", lang, count=count)}


# --- the API's: one result each, a dict -------------------------------------------------------------


@user_messages
def api_start(visitor, key=None, lang: str = "en", request: gr.Request | None = None) -> tuple[dict, Visitor]:
    visitor = visitor_of(visitor)
    member = classes.start(visitor, key, caller(request))
    return {"code": member.code, "link": classes.link(join_address(request)[0], member.code),
            "key": member.secret}, visitor  # (the key: the same teacher in a later session)


@user_messages
def api_join(code, visitor, key=None, lang: str = "en", request: gr.Request | None = None) -> tuple[dict, Visitor]:
    visitor = visitor_of(visitor)
    member = classes.join(visitor, key, code, caller(request))
    return {"code": member.code, "student": member.number, "key": member.secret}, visitor


@user_messages
def api_add(picture, digit, visitor, key=None, lang: str = "en",
            request: gr.Request | None = None) -> tuple[dict, Visitor]:
    """A picture file of a digit, added to the caller's class (or their own collection): the answer
    says which (its code, and the caller's role there: "teacher", "student" or "own")."""
    visitor = visitor_of(visitor)
    if picture is None:
        raise Refusal("class_blank")
    drawing, counts = classes.add(visitor, key, load_picture(picture), digit, address=caller(request))
    member = classes.membership(visitor, key)
    return {"id": drawing, "count": counts["total"], "code": member.code, "role": member.role}, visitor


@user_messages
def api_teach(visitor, key=None, lang: str = "en",
              request: gr.Request | None = None) -> Iterator[tuple[dict, Visitor]]:
    """Teach the collection: {"waiting": place, "eta": seconds} while in line, then before and after."""
    visitor = visitor_of(visitor)
    taught = None
    for event in classes.teaching(visitor, key, active(visitor), Unread(lambda: unread_messages(request))):
        if isinstance(event, Waiting):
            yield {"waiting": event.place, "eta": round(event.eta, 1)}, visitor
        taught = event if isinstance(event, Taught) else taught
    if taught is None:
        raise PageMessage("teach_stopped")
    visitor.put("trained", taught.classifier)
    activate(visitor, taught.classifier, lang)
    b, a = taught.before, taught.after
    yield {"before": {"mnist": b.mnist, "class": b.drawings}, "after": {"mnist": a.mnist, "class": a.drawings},
           "seconds": taught.seconds, "taught_on": taught.taught_on, "held_out": len(taught.held_out),
           "left_out": taught.left_out}, visitor


@user_messages
def api_publish(visitor, key=None, lang: str = "en") -> tuple[dict, Visitor]:
    visitor = visitor_of(visitor)
    return {"version": classes.publish(visitor, key, active(visitor), MAX_PAGE_PARAMETERS)}, visitor


@user_messages
def api_status(visitor, key=None, lang: str = "en") -> tuple[dict, Visitor]:
    visitor = visitor_of(visitor)
    member = classes.membership(visitor, key)
    counts = classes.counts(visitor, key)
    return {"code": member.code, "role": member.role, "student": member.number, "digits": counts["digits"],
            "students": {str(k): v for k, v in counts["students"].items()}, "total": counts["total"]}, visitor


@user_messages
def api_drawings(visitor, key=None, lang: str = "en") -> tuple[dict, Visitor]:
    visitor = visitor_of(visitor)
    return {"drawings": [{"id": d.id, "student": d.student, "digit": d.digit}
                         for d in classes.drawings(visitor, key)]}, visitor


@user_messages
def api_delete(drawing, visitor, key=None, lang: str = "en") -> tuple[dict, Visitor]:
    visitor = visitor_of(visitor)
    classes.delete(visitor, key, drawing)
    return {"deleted": drawing}, visitor


@user_messages
def api_remove(student, visitor, key=None, lang: str = "en") -> tuple[dict, Visitor]:
    visitor = visitor_of(visitor)
    classes.remove_student(visitor, key, student)
    return {"removed": student}, visitor


@user_messages
def api_end(visitor, key=None, lang: str = "en") -> tuple[dict, Visitor]:
    visitor = visitor_of(visitor)
    classes.end(visitor, key)
    return {"ended": True}, visitor
