"""The Train tab: train a network from the page and watch it learn; use, save, download or load models."""

import os
import tempfile
from dataclasses import dataclass

import gradio as gr
import numpy as np
import pandas as pd

from mnist_model import Classifier, checkpoint
from mnist_model.data import load_mnist
from mnist_model.device import available_devices, resolve_device
from mnist_model.evaluate import Metrics, evaluate
from mnist_model.i18n import text
from mnist_model.model import parse_hidden
from mnist_model.train import (
    OPTIMIZERS, PRESETS, SCHEDULES, EpochEnd, Finished, Progress, estimate_seconds, preset, train,
)

from .page import I18N, Page, activate, user_messages
from .render import confusion_html, png_file, progress_html

try:  # Hugging Face ZeroGPU: a GPU only inside functions decorated with spaces.GPU
    import spaces
except ImportError:
    spaces = None

SAVE_DIR = os.environ.get("MNIST_APP_CHECKPOINT_DIR", str(checkpoint.SHIPPED.parent))
DEVICES = available_devices()  # [(device string, label)], fastest first


def preset_fields(name: str):
    cfg = PRESETS[name]
    return (",".join(map(str, cfg.hidden)), cfg.epochs, cfg.batch_size, cfg.lr, cfg.optimizer,
            cfg.schedule, cfg.augment, cfg.seed)


def read_config(preset_name, hidden, epochs, batch_size, lr, optimizer, schedule, augment, seed):
    """The run's TrainConfig from the form; an impossible value raises ConfigError naming the field."""
    return preset(preset_name, hidden=parse_hidden(str(hidden or "")), epochs=epochs, batch_size=batch_size,
                  lr=lr, optimizer=optimizer, schedule=schedule, augment=bool(augment), seed=seed)


@dataclass
class Report:
    """A finished run with its test-set evaluation and the images of its first mistakes."""

    done: Finished
    metrics: Metrics
    mistake_images: list[np.ndarray]


def _train_run(cfg, device_name):
    """Training events, then a Report; on ZeroGPU this runs inside a GPU lease sized to the run."""
    device = resolve_device(device_name)
    data = load_mnist(None, device)  # $MNIST_DATA_DIR or ./data; downloaded (with progress) if missing
    for event in train(cfg, data, device):
        if isinstance(event, Finished):  # the model is back on the CPU: evaluate it there
            test_x, test_y = data.test_x.cpu(), data.test_y.cpu()
            metrics = evaluate(event.model, test_x, test_y)
            images = [(test_x[i].numpy() * 255).astype(np.uint8) for i, _, _ in metrics.mistakes]
            event = Report(event, metrics, images)
        yield event


if spaces is not None:
    _train_run = spaces.GPU(duration=lambda cfg, *args: estimate_seconds(cfg))(_train_run)


def build(page: Page) -> None:
    trained = gr.State(None)  # this visitor's last finished training run (a Classifier)
    with gr.Tab(I18N("tab_train"), id="train"):
        gr.Markdown(I18N("train_intro"))
        with gr.Row():
            with gr.Column(scale=1):
                preset_in = gr.Radio(list(PRESETS), value="fast", label=I18N("preset"))
                hidden, epochs, batch, lr, optimizer, schedule, augment, seed = preset_fields("fast")
                hidden_in = gr.Textbox(hidden, label=I18N("hidden"))
                with gr.Row():
                    epochs_in = gr.Number(epochs, label=I18N("epochs"), precision=0)
                    batch_in = gr.Number(batch, label=I18N("batch"), precision=0)
                    lr_in = gr.Number(lr, label=I18N("lr"))
                with gr.Row():
                    optimizer_in = gr.Dropdown(list(OPTIMIZERS), value=optimizer, label=I18N("optimizer"))
                    schedule_in = gr.Dropdown(list(SCHEDULES), value=schedule, label=I18N("schedule"))
                with gr.Row():
                    augment_in = gr.Checkbox(augment, label=I18N("augment"))
                    seed_in = gr.Number(seed, label=I18N("seed"), precision=0)
                device_in = gr.Dropdown([(label, name) for name, label in DEVICES], value=DEVICES[0][0],
                                        label=I18N("device"))
                with gr.Row():
                    train_btn = gr.Button(I18N("train"), variant="primary")
                    stop_btn = gr.Button(I18N("stop"), variant="stop")
            with gr.Column(scale=2):
                progress_out = gr.HTML(elem_id="train-progress")
                with gr.Row():
                    loss_plot = gr.LinePlot(x="step", y="loss", label=I18N("loss_plot"), height=250)
                    accuracy_plot = gr.LinePlot(x="epoch", y="test accuracy", label=I18N("accuracy_plot"), height=250)
                results_md = gr.Markdown()
                with gr.Row():
                    per_class_plot = gr.BarPlot(x="digit", y="accuracy", label=I18N("per_class_plot"),
                                                y_lim=[0.8, 1.0], height=250)
                    confusion_out = gr.HTML()
                mistakes = gr.Gallery(label=I18N("mistakes"), columns=8, height=260)
                with gr.Row():
                    use_btn = gr.Button(I18N("use"), variant="primary")
                    download_btn = gr.DownloadButton(I18N("download"), interactive=False)
                with gr.Row():
                    name_in = gr.Textbox(label=I18N("save_name"), placeholder="my-model")
                    save_btn = gr.Button(I18N("save"))
                save_msg = gr.Markdown()
        with gr.Accordion(I18N("saved_models"), open=False):
            with gr.Row():
                saved_in = gr.Dropdown(list(checkpoint.list_named(SAVE_DIR)), value="shipped", label=I18N("saved_list"))
                load_btn = gr.Button(I18N("load"))
                reset_btn = gr.Button(I18N("reset"))
                ckpt_upload = gr.File(label=I18N("upload_checkpoint"), file_types=[".safetensors"], type="filepath")

    @user_messages
    def train_model(preset_name, hidden, epochs, batch_size, lr, optimizer, schedule, augment, seed, device_name,
                    lang="en", progress=gr.Progress(track_tqdm=True)):
        """Train a fresh network and stream its progress; the finished model is kept for this visitor.

        Stop cancels this generator: training runs only while it is iterated, so it ends at once,
        before the run finishes, and nothing the visitor had (active model, saved files) changes."""
        cfg = read_config(preset_name, hidden, epochs, batch_size, lr, optimizer, schedule, augment, seed)
        resolve_device(device_name)  # refuse a missing device before anything starts
        losses, accuracies, snapshots, last = [], [], [], None
        yield {progress_out: progress_html(None, lang, text("loading", lang)), loss_plot: None, accuracy_plot: None}
        for event in _train_run(cfg, device_name):
            if isinstance(event, Progress):
                last = event
                losses.append({"step": (event.epoch - 1) * event.steps_per_epoch + event.step, "loss": event.loss})
                yield {progress_out: progress_html(event, lang), loss_plot: pd.DataFrame(losses)}
            elif isinstance(event, EpochEnd):
                accuracies.append({"epoch": event.epoch, "test accuracy": event.test_accuracy})
                snapshots.append(event.first_layer)
                note = text("epoch_accuracy", lang, accuracy=f"{event.test_accuracy:.2%}")
                yield {accuracy_plot: pd.DataFrame(accuracies), progress_out: progress_html(last, lang, note)}
            elif isinstance(event, Report):
                yield {**finished_outputs(event, lang), page.snapshots: snapshots}

    def finished_outputs(report: Report, lang: str) -> dict:
        r, metrics = report.done.result, report.metrics
        meta = {"test_accuracy": r.test_accuracy, "recipe": r.config.to_dict(), "device": r.device}
        clf = Classifier(report.done.model, {**meta, "hidden": list(r.config.hidden)})
        gallery = [(png_file(image), text("mistake", lang, true=t, predicted=p))
                   for image, (_, t, p) in zip(report.mistake_images, metrics.mistakes)]
        download = os.path.join(tempfile.mkdtemp(prefix="mnist-mlp-"), "mnist_mlp_trained.safetensors")
        checkpoint.save(download, clf.model, **meta)
        per_class = pd.DataFrame({"digit": [str(d) for d in range(10)], "accuracy": metrics.per_class})
        summary = text("summary", lang, accuracy=f"{r.test_accuracy:.2%}", epochs=r.config.epochs,
                       seconds=f"{r.elapsed:.1f}", device=r.device, rate=f"{r.samples_per_s:,.0f}")
        return {progress_out: progress_html(None, lang, text("finished", lang)), results_md: summary,
                per_class_plot: per_class, confusion_out: confusion_html(metrics.confusion, lang), mistakes: gallery,
                trained: clf, download_btn: gr.DownloadButton(value=download, interactive=True)}

    def use_trained(model, lang="en"):
        if model is None:
            raise gr.Error(text("no_run", lang))
        return activate(model, lang)

    @user_messages
    def save_trained(model, name, lang="en"):
        if model is None:
            raise gr.Error(text("no_run", lang))
        path = checkpoint.save_named(SAVE_DIR, name, model.model, test_accuracy=model.test_accuracy,
                                     recipe=model.meta.get("recipe", {}))
        return (text("saved_as", lang, name=path.name),
                gr.Dropdown(choices=list(checkpoint.list_named(SAVE_DIR)), value=path.stem))

    @user_messages
    def load_saved(name, lang="en"):
        if name == "shipped":
            return activate(None, lang)
        path = checkpoint.list_named(SAVE_DIR).get(name)
        if path is None:
            raise gr.Error(text("no_saved", lang, name=repr(name)))
        return activate(Classifier.load(path), lang)

    @user_messages
    def load_uploaded(path, lang="en"):
        if path is None:
            raise gr.Error(text("no_upload", lang))
        return activate(Classifier.load(path), lang)

    form = [hidden_in, epochs_in, batch_in, lr_in, optimizer_in, schedule_in, augment_in, seed_in]
    preset_in.change(preset_fields, inputs=preset_in, outputs=form, api_name=False)
    training = train_btn.click(
        train_model, inputs=[preset_in, *form, device_in, page.lang], api_name="train", concurrency_limit=1,
        concurrency_id="train",
        outputs=[progress_out, loss_plot, accuracy_plot, results_md, per_class_plot, confusion_out, mistakes,
                 trained, download_btn, page.snapshots])
    stop_btn.click(lambda lang: progress_html(None, lang, text("stopped", lang)), inputs=page.lang,
                   outputs=progress_out, cancels=[training], api_name=False)
    model_out = [page.model, page.model_info]
    use_btn.click(use_trained, inputs=[trained, page.lang], outputs=model_out, api_name="use_trained")
    save_btn.click(save_trained, inputs=[trained, name_in, page.lang], outputs=[save_msg, saved_in], api_name="save")
    saved_in.focus(lambda: gr.Dropdown(choices=list(checkpoint.list_named(SAVE_DIR))), outputs=saved_in,
                   api_name=False)
    load_btn.click(load_saved, inputs=[saved_in, page.lang], outputs=model_out, api_name="load_checkpoint")
    reset_btn.click(lambda lang: activate(None, lang), inputs=page.lang, outputs=model_out, api_name="reset_model")
    ckpt_upload.upload(load_uploaded, inputs=[ckpt_upload, page.lang], outputs=model_out, api_name="upload_checkpoint")
