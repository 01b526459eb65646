"""HTML and PNG renderings of what mnist_model computes, for the page's components.

Every picture goes to the page inline (a data URL): no file on the server to cache or sweep, and no
server path in the page.
"""

import base64
import html
import io
import math

import numpy as np
from PIL import Image

from mnist_model.explain import first_layer_weights
from mnist_model.messages import duration
from mnist_model.not_digits import NOT_A_DIGIT
from mnist_model.step import StepReport
from mnist_model.train_events import Progress

from . import visual
from .texts import text


def png_bytes(pixels: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG")
    return out.getvalue()


def data_url(pixels: np.ndarray) -> str:
    return "data:image/png;base64," + base64.b64encode(png_bytes(pixels)).decode()


def inline_png(pixels: np.ndarray, alt: str, css_class: str = "") -> str:
    """An <img> carrying its PNG inline: no file for Gradio to cache, none to fetch."""
    return f'<img class="{css_class}" alt="{html.escape(alt)}" src="{data_url(pixels)}">'


def answer_text(answer: int) -> str:
    """An answer as the page writes it: the digit, or ✗ for "not a digit" (static/bars.js's label)."""
    return "✗" if answer == NOT_A_DIGIT else str(answer)


def digit_figures(images: np.ndarray, captions: list[str], wrong: list[bool], titles: list[str]) -> str:
    """28 x 28 digits, each with its caption below it (not over it) and a tooltip, in a grid that wraps
    to any width; wrong answers stand out."""
    return '<div class="digit-figures">' + "".join(
        f'<figure title="{title}">{inline_png(visual.enlarge(visual.gray(image), 2), title)}'
        f'<figcaption class="{"wrong" if bad else "right"}">{caption}</figcaption></figure>'
        for image, caption, bad, title in zip(images, captions, wrong, titles)) + "</div>"


def mistakes_html(mistakes: list[tuple[str, int, int, np.ndarray]], lang: str) -> str:
    """Misclassified digits, MNIST's then the held-out writers', each captioned "true → predicted"."""
    groups = []
    for kind, name in (("mnist", "per_digit_mnist"), ("drawn", "per_digit_drawn")):
        chosen = [(t, p, image) for k, t, p, image in mistakes if k == kind]
        if chosen:
            groups.append(f"<h5>{text(name, lang)}</h5>" + digit_figures(
                np.stack([image for _, _, image in chosen]), [f"{t} → {answer_text(p)}" for t, p, _ in chosen],
                [True] * len(chosen),
                [text("mistake" if kind == "mnist" else "mistake_drawn", lang, true=t, predicted=answer_text(p))
                 for t, p, _ in chosen]))
    return f'<div class="mistakes"><h4>{text("mistakes", lang)}</h4>{"".join(groups)}</div>' if groups else ""


def device_words(device: str, lang: str) -> str:
    """A device ("cpu", "cuda:0", "mps") as the page says it."""
    if device.startswith("cuda"):
        return f"GPU {device.partition(':')[2] or 0}"
    return text("device_mps" if device == "mps" else "device_cpu", lang)


def progress_html(p: Progress | None, lang: str, note: str = "", wall_limit: float | None = None) -> str:
    """A run's progress bar and line (or only `note` before the run has steps); the time left is at
    most what the run has left of `wall_limit` (a paced run said "83:22:13 left" and was stopped at
    20:00), and then says so."""
    if p is None:
        return f'<div class="run-note">{note}</div>'
    left = p.eta
    if wall_limit is not None and left > wall_limit - p.elapsed:
        left = max(wall_limit - p.elapsed, 0.0)
        note = f"{text('stops_at_limit', lang, limit=duration(wall_limit))} {note}".strip()
    line = text("progress", lang, epoch=p.epoch, epochs=p.epochs, step=p.steps, steps=p.total_steps,
                rate=f"{p.samples_per_s:,.0f}", left=duration(left))
    return f'<progress max="1" value="{p.fraction:.4f}"></progress><div>{line} {note}</div>'


def waiting_html(place: int, eta: float, lang: str) -> str:
    """Where a run waits in the training line, and for about how long, in words (place 0: the line
    gave it a slot at once, and it is starting)."""
    if place == 0:
        return f'<div class="run-note">{text("starting", lang)}</div>'
    key = "waiting" if math.isfinite(eta) else "waiting_unknown"
    return f'<div class="run-note waiting">{text(key, lang, place=place, eta=duration(eta))}</div>'


LOADING = {"mnist": ("loading", None), "drawn": ("loading_drawn", "drawing"),
           "not_digits": ("loading_not_digits", "drawing_not_digits")}  # what is loaded: its words, still and drawn


def loading_html(what: str, done: int, total: int, lang: str) -> str:
    """The run's data being made ready: MNIST read, or the pen-written digits, letters and doodles
    drawn (with progress)."""
    still, drawing = LOADING[what]
    if drawing and total:
        return (f'<progress max="1" value="{done / total:.4f}"></progress>'
                f'<div class="run-note">{text(drawing, lang, done=f"{done:,}", total=f"{total:,}")}</div>')
    return f'<div class="run-note">{text(still, lang)}</div>'


def confusion_html(confusion: list[list[int]], lang: str) -> str:
    """The confusion matrix as a heatmap table: rows are true digits, columns the answers (✗: "not a
    digit", for a network that gives it)."""
    top = max(max(row) for row in confusion) or 1
    head = "".join(f"<th>{answer_text(a)}</th>" for a in range(len(confusion[0])))
    rows = []
    for true, row in enumerate(confusion):
        cells = "".join(
            f'<td style="background: rgba({"46,125,50" if true == pred else "198,40,40"},'
            f'{(count / top) ** 0.5 if count else 0:.2f})">{count}</td>'
            for pred, count in enumerate(row))
        rows.append(f"<tr><th>{true}</th>{cells}</tr>")
    return (f'<div class="table-fit"><table class="confusion"><caption>{text("confusion", lang)}</caption>'
            f"<tr><th></th>{head}</tr>{''.join(rows)}</table></div>")


def runs_table_html(runs: list, lang: str) -> str:
    """The finished runs on the plots, side by side as numbers (oldest first, as in the plots' legend):
    MNIST's test set, the held-out writers' pen-written digits, the training's time."""
    finished = [run for run in runs if run.result]
    if not finished:
        return ""
    def row(run) -> str:
        cells = ["—" if run.result[key] is None else f"{run.result[key]:.2%}" for key in ("mnist", "drawn")]
        cells.append(text("seconds", lang, seconds=f"{run.result['seconds']:.1f}"))
        return f"<tr><th>{html.escape(run.label)}</th>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"

    rows = "".join(row(run) for run in finished)
    head = "".join(f"<th>{text(key, lang)}</th>" for key in ("runs_run", "runs_mnist", "runs_drawn", "runs_time"))
    return (f'<div class="table-fit"><table class="runs-table"><caption>{text("runs_caption", lang)}</caption>'
            f"<tr>{head}</tr>{rows}</table></div>")


def per_digit_html(mnist: list[float], drawn: list[float] | None, lang: str) -> str:
    """Accuracy per digit on MNIST's test set and on the held-out writers' digits, one row per digit
    (narrow enough for a phone); digits under 95% stand out."""
    columns = [mnist] + ([drawn] if drawn else [])
    names = [text("per_digit_mnist", lang)] + ([text("per_digit_drawn", lang)] if drawn else [])
    head = "".join(f"<th>{name}</th>" for name in names)
    body = "".join(
        f"<tr><th>{digit}</th>" + "".join(
            f'<td class="{"weak" if values[digit] < 0.95 else ""}">{values[digit] * 100:.1f}</td>'
            for values in columns) + "</tr>"
        for digit in range(10))
    return (f'<div class="table-fit"><table class="per-digit"><caption>{text("per_digit", lang)}</caption>'
            f"<tr><th></th>{head}</tr>{body}</table></div>")


def step_html(r: StepReport, lang: str) -> str:
    """One optimiser step: which network, the batch with guesses before and after, the loss, gradients,
    the weight change."""
    def batch(probabilities: np.ndarray) -> str:
        guesses = probabilities.argmax(1)
        return digit_figures(
            r.images, [f"{answer_text(g)} <small>({probabilities[i, g]:.0%})</small>" for i, g in enumerate(guesses)],
            [g != label for g, label in zip(guesses, r.labels)],
            [text("step_guess", lang, label=label, guess=answer_text(g)) for label, g in zip(r.labels, guesses)])

    top = max(r.gradient_norms) or 1.0
    bars = "".join(f'<div class="gradient"><span>{i + 1}</span><span class="bar" style="width: {n / top:.0%}"></span>'
                   f"<span>{n:.3g}</span></div>" for i, n in enumerate(r.gradient_norms))
    change = first_layer_weights(r.weight_change)  # an MLP's 28 x 28 tiles, or a CNN's 5 x 5 filters
    limit = float(np.abs(change).max()) or 1.0
    picture = tiles(change, columns=int(np.ceil(np.sqrt(len(change)))), scale=2 if change.shape[1] == 28 else 10,
                    colour=lambda w: visual.diverging(w, limit))
    change_caption = "step_change" if change.shape[1] == 28 else "step_change_filters"
    # (a step shows the lesson's batch, whatever the run's: said when they differ, "batch of 15" after a
    # run of batches of 64 read as a mistake)
    batch_note = "" if r.run_batch == len(r.labels) else " " + text("step_batch_note", lang, batch=len(r.labels),
                                                                    run_batch=r.run_batch)
    return (f'<div class="step-report"><h4>{text("step_title", lang, steps=r.steps, batch=len(r.labels), lr=f"{r.lr:g}")}</h4>'
            f'<p class="step-origin">{text("step_origin_" + r.origin, lang)}{batch_note}</p>'
            f'<p class="step-go-on">{text("step_go_on", lang)}</p>'
            f'<p>{text("step_before", lang)}</p>{batch(r.before)}'
            f'<p>{text("step_loss", lang, before=f"<b>{r.loss:.4f}</b>", after=f"<b>{r.loss_after:.4f}</b>")}</p>'
            f'<p>{text("step_gradients", lang)}</p><div class="gradients">{bars}</div>'
            f'<p>{text(change_caption, lang)}</p>{inline_png(picture, "weight change", "step-change")}'
            f'<p>{text("step_after", lang)}</p>{batch(r.after)}</div>')


def tiles(images: np.ndarray, columns: int, scale: int = 1, colour=visual.gray) -> np.ndarray:
    """Pictures (n, h, w) as a grid of `columns`, one grey pixel between them, each enlarged `scale` times."""
    n, h, w = images.shape
    rows = -(-n // columns)
    out = np.full((rows * (h * scale + 1) + 1, columns * (w * scale + 1) + 1, 3), 128, np.uint8)
    for i, image in enumerate(images):
        r, c = divmod(i, columns)
        y, x = 1 + r * (h * scale + 1), 1 + c * (w * scale + 1)
        out[y:y + h * scale, x:x + w * scale] = visual.enlarge(colour(image), scale)
    return out


def weights_picture(weights: np.ndarray, caption: str, **values) -> dict:
    """First-layer weights (units, 28, 28) as components.WeightsGallery's picture: one tile per unit,
    one colour scale for all, in a near-square grid; `caption` is a text's key (and `values` its values), which
    the page shows in its own language (and again in another when the language changes)."""
    limit = float(np.abs(weights).max()) or 1.0
    columns = int(np.ceil(np.sqrt(len(weights))))
    picture = tiles(weights, columns, colour=lambda w: visual.diverging(w, limit))
    return {"tiles": data_url(picture), "columns": columns, "units": len(weights),
            "caption": {"key": caption, "values": values}}
