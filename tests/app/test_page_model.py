"""How a model comes into the page (components.model_payload): its weights in half the bytes when
they are float16 numbers (the shipped models' are), once, with the page's HTML for the model a new
visitor gets, and named, not sent again, by the page's load."""

import base64
import json

import numpy as np
import pytest
import torch

from app_server import classes
from app_ui.components import DigitAsked, before_the_app, model_payload
from app_ui.draw_tab import page_model
from app_ui.page import shipped
from app_ui.teaching import enter
from app_ui.texts import TEXTS
from mnist_model import Classifier, checkpoint
from mnist_model.model import MLP


def numbers(payload: dict) -> np.ndarray:
    return np.frombuffer(base64.b64decode(payload["data"]), "<f2" if payload["dtype"] == "float16" else "<f4")


def weights(clf: Classifier) -> np.ndarray:
    return np.concatenate([t.detach().numpy().ravel() for layer in clf.model.layers for t in (layer.weight, layer.bias)])


def test_the_shipped_models_weights_go_to_the_page_as_float16_exactly_in_half_the_bytes():
    for path in (checkpoint.SHIPPED, checkpoint.SHIPPED_CNN):
        clf = Classifier.load(path)
        payload = model_payload(clf)
        assert payload["dtype"] == "float16"
        assert np.array_equal(numbers(payload).astype(np.float32), weights(clf))
        assert len(base64.b64decode(payload["data"])) == 2 * clf.parameters


def test_weights_that_are_not_float16_numbers_go_as_float32_unrounded():
    torch.manual_seed(0)
    clf = Classifier(MLP((16,)))
    payload = model_payload(clf)
    assert payload["dtype"] == "float32" and np.array_equal(numbers(payload), weights(clf))
    with torch.no_grad():
        for parameter in clf.model.parameters():
            parameter.copy_(parameter.half().float())
    assert model_payload(clf)["dtype"] == "float16"


def test_a_digest_names_the_shape_as_well_as_the_weights():
    torch.manual_seed(0)
    relu = Classifier(MLP((16,), "relu"))
    tanh = Classifier(MLP((16,), "tanh"))
    tanh.model.load_state_dict(relu.model.state_dict())
    assert model_payload(relu)["data"] == model_payload(tanh)["data"]
    assert model_payload(relu)["digest"] != model_payload(tanh)["digest"]


def test_the_pages_load_gets_the_weights_unless_the_page_says_it_holds_them():
    held = model_payload(shipped())["digest"]
    assert "data" not in page_model(None, held, "en")  # (a new visitor's model: the shipped one)
    for said in ("", "0123456789abcdef", None, 7, ["x"]):  # a page served without our HTML holds none; a caller's nonsense
        assert page_model(None, said, "en")["data"] == model_payload(shipped())["data"]


def test_the_weights_the_page_holds_are_named_by_their_digest_and_not_sent_again():
    torch.manual_seed(0)
    other = Classifier(MLP((16,)))
    held = model_payload(shipped())["digest"]
    named = model_payload(shipped(), page_holds=held)
    assert "data" not in named and named["digest"] == held and named["sizes"] == [784, 64, 64, 64, 10]
    # the same weights in another object (the shipped model loaded again by a visitor) are the page's too
    assert "data" not in model_payload(Classifier.load(checkpoint.SHIPPED), page_holds=held)
    sent = model_payload(other, page_holds=held)
    assert sent["digest"] != held and np.array_equal(numbers(sent), weights(other))


def early_pad_settings(head: str) -> dict:
    return json.loads(head.split("mnistDemo.earlyPad.open(", 1)[1].rsplit(");</script>", 1)[0])


def test_the_pages_html_starts_the_pipeline_and_ends_with_the_shipped_models_weights():
    first, last = before_the_app("sketch", shipped())
    assert "mnistDemo.pipeline.start()" in first and "mnistDemo.earlyPad.open(" in first
    assert model_payload(shipped())["data"] in last and "mnistDemo.pipeline.hold(" in last
    for part in (first, last):  # one script each, which nothing in it ends early
        assert part.count("</script>") == 1 and part.endswith("</script>")
    settings = early_pad_settings(first)
    assert settings["name"] == "sketch" and settings["answers"] is True
    assert settings["texts"]["en"]["early_pad"] == TEXTS["en"]["early_pad"]
    first, last = before_the_app("teach-sketch", shipped(), class_link=True)  # (a class's phones, too)
    assert "mnistDemo.pipeline.start()" in first and model_payload(shipped())["data"] in last


def test_a_class_links_pad_before_the_page_asks_for_the_digit_its_teach_tab_asks_for_first_and_stores():
    """(a drawing made before the page is the Teach pad's, and its first Add stores it as that digit)"""
    settings = early_pad_settings(before_the_app("teach-sketch", shipped(), class_link=True)[0])
    assert settings["name"] == "teach-sketch" and settings["answers"] is False
    assert {lang: words["early_pad"] for lang, words in settings["texts"].items()} == {
        "en": "Draw a 0", "zh-CN": "请写一个 0"}
    for lang, words in settings["texts"].items():  # what the page's load asks for (the picker's value)
        assert enter(key="", remembered="", visitor=None, lang=lang)["ask"] == {
            "value": words["early_pad"], "digit": DigitAsked.FIRST}


@pytest.mark.parametrize("query, class_link", [
    ("", False), ("class=ABC", True), ("x=1&class=ABC", True), ("class=", False), ("class", False),
    ("class=&class=DEF", False),  # (the first value, as the page's own scripts read it)
])
def test_a_class_link_is_told_by_its_first_class_value_as_the_page_reads_it(query, class_link):
    assert classes.by_link(query) is class_link
    assert classes.by_link(classes.link("http://host:7860", "ABC").split("?", 1)[1])
