"""The page's words and pictures: every string in both languages, every key the app uses, colour maps."""

import re
from pathlib import Path

import numpy as np
import pytest

from app_ui import visual
from app_ui.texts import LANGUAGES, TEXTS, text
from support.translations import assert_in_both_languages


def test_colour_maps_give_rgb_pixels():
    values = np.array([[-2.0, 0.0, 2.0]])
    rgb = visual.diverging(values)
    assert rgb.shape == (1, 3, 3) and rgb.dtype == np.uint8
    assert tuple(rgb[0, 1]) == (255, 255, 255) and rgb[0, 0, 2] > rgb[0, 0, 0] and rgb[0, 2, 0] > rgb[0, 2, 2]
    hot = visual.heat(np.array([0.0, 0.5, 1.0]))
    assert tuple(hot[0]) == (0, 0, 0) and hot[2].sum() > hot[1].sum() > 0
    assert visual.as_grid(np.arange(10.0)).shape == (3, 4)
    assert visual.enlarge(np.zeros((28, 28), np.uint8), 3).shape == (84, 84)


def test_every_ui_string_exists_in_both_languages_with_the_same_placeholders():
    # (untranslated: the language's own code, "zh-CN"; a model's name, of letters a-z only, checkpoint.NAME_PATTERN)
    assert_in_both_languages(TEXTS, untranslated=("lang_code", "save_name_example"))
    assert (TEXTS["en"]["lang_code"], TEXTS["zh-CN"]["lang_code"]) == LANGUAGES
    assert LANGUAGES == tuple(TEXTS)


def test_every_key_the_app_uses_is_translated():
    repo = Path(__file__).parent.parent.parent
    python = "".join(p.read_text() for p in [repo / "app.py", *(repo / "app_ui").glob("*.py")])
    for_components = " ".join(re.findall(r"TEXTS = [^(\n]*\(([^)]*)\)", python))  # keys the components hand to the page
    used = set(re.findall(r"""(?:I18N|text|PageMessage)\(\s*f?["']([a-z_]+)["']""", python))
    prefixes = {key for key in used if key.endswith("_")}  # text("step_origin_" + origin): keys that start so
    used = (used - prefixes) | {key for key in TEXTS["en"] if key.startswith(tuple(prefixes))}
    used |= set(re.findall(r"""["']([a-z_]+)["']""", for_components))
    templates = "".join(p.read_text() for p in (repo / "app_ui" / "static").glob("*.html"))
    in_templates = set(re.findall(r'data-(?:text|title)="([a-z_]+)"', templates))
    assert used and in_templates, "the app uses no translated strings"
    assert used <= set(TEXTS["en"]), used - set(TEXTS["en"])
    assert in_templates <= used, f"templates name keys their components do not pass: {in_templates - used}"


def test_every_string_is_used_somewhere():
    repo = Path(__file__).parent.parent.parent
    static = repo / "app_ui" / "static"
    code = "".join(p.read_text() for p in [repo / "app.py", *(repo / "app_ui").glob("*.py"), *static.glob("*.js"),
                                           *static.glob("*.html")] if p.name != "texts.py")
    # keys made in code: text("short_" + name), f"field_{name}": those that start so count as used
    prefixes = tuple({a or b for a, b in re.findall(r"""["']([a-z_]+_)["']\s*\+|f["']([a-z_]+_)\{""", code)})
    unused = [key for key in TEXTS["en"] if not key.startswith(prefixes)
              and not re.search(rf"(?<![a-z_]){key}(?![a-z_])", code)]
    assert not unused, f"strings nothing shows: {unused}"


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_every_field_of_the_form_has_its_label_and_its_short_name_in_every_language(lang):
    """(the keys made in code, "field_" + name and "short_" + name, are found by no search: a field
    without its short name made every run that changed it fail)"""
    from mnist_model.config import FIELDS

    missing = [key for f in FIELDS for key in (f"field_{f.name}", f"short_{f.name}") if key not in TEXTS[lang]]
    assert not missing


@pytest.mark.parametrize("lang, expected", [("zh-CN", "请写一个数字"), ("zh-TW", "请写一个数字"), ("en-US", "Draw a digit"),
                                            ("fr", "Draw a digit"), ("", "Draw a digit")])
def test_messages_follow_the_browser_language(lang, expected):
    assert text("draw_prompt", lang) == expected


def test_a_runs_name_words_its_choices_as_the_form_does_in_the_pages_language():
    """The plots' legend read "激活函数 leaky_relu": the API's value, not the name the form shows."""
    from app_ui.training import recipe_label
    from mnist_model.config import preset

    cfg = preset("fast", activation="leaky_relu", optimizer="sgd", schedule="constant")
    for lang in ("en", "zh-CN"):
        label = recipe_label("fast", cfg, lang)
        assert "leaky ReLU" in label and text("choice_optimizer_sgd", lang) in label, label
        assert text("choice_schedule_constant", lang) in label and "leaky_relu" not in label and " sgd" not in label
    assert "constant" not in recipe_label("fast", cfg, "zh-CN")


@pytest.mark.parametrize("run_batch, noted", [(64, True), (15, False)])
def test_step_says_so_when_its_batch_is_not_the_runs(run_batch, noted):
    """Step said "batch of 15" after a run of batches of 64, and a teacher took it for a mistake."""
    from app_ui.render import step_html
    from mnist_model.step import StepReport

    probabilities = np.full((15, 10), 0.1, np.float32)
    report = StepReport(images=np.zeros((15, 28, 28), np.float32), labels=np.arange(15) % 10, before=probabilities,
                        after=probabilities, loss=2.3, loss_after=2.2, gradient_norms=[1.0, 0.5],
                        weight_change=np.zeros((16, 784), np.float32), lr=1e-3, steps=3, origin="finished",
                        run_batch=run_batch)
    for lang in ("en", "zh-CN"):
        page = step_html(report, lang)
        assert (text("step_batch_note", lang, batch=15, run_batch=run_batch) in page) is noted


def test_a_refusal_keeps_its_arrows_and_file_names_as_they_are_and_its_markup_inert():
    """An API caller read "MLP(784 -&gt; 64 …)" and "Cnn_gelu.safetensors"."""
    from app_ui.page import refusal
    from mnist_model import CheckpointError
    from mnist_model.model import MLP

    said = refusal(CheckpointError("ckpt_shapes", name="cnn_gelu.safetensors", network=MLP((64,))), "en", "test").message
    assert said.startswith("cnn_gelu.safetensors") and "784 -> 64" in said and "&gt;" not in said
    assert "&lt;b>" in refusal(CheckpointError("ckpt_shapes", name="<b>x", network=MLP((64,))), "en", "test").message
