"""The app, launched as `python app.py`, driven through gradio_client as any API user would."""

import threading

import numpy as np
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError
from PIL import Image

from mnist_model.explain import look_inside
from mnist_model.preprocess import to_mnist
from support.strokes import data_url, ink_layer, pad_png, photo, place


@pytest.fixture(scope="module")
def client(app_url):
    return Client(app_url, verbose=False)


def picture_file(folder, pixels_or_png, name="digit.png") -> dict:
    path = folder / name
    if isinstance(pixels_or_png, bytes):
        path.write_bytes(pixels_or_png)
    else:
        Image.fromarray(pixels_or_png).save(path)
    return handle_file(str(path))


def white_on_dark(digit: int, canvas: int = 280) -> np.ndarray:
    """A light digit on a dark grey RGB background (a dark-themed drawing app's screenshot)."""
    ink = ink_layer(place(digit, canvas, canvas * 0.6, (canvas / 2, canvas / 2)), canvas, 10)[:, :, 3:]
    return (0x33 + (235 - 0x33) * (ink / 255.0)).repeat(3, 2).astype(np.uint8)


PICTURES = [
    pytest.param(0, lambda: pad_png(0, size=200), id="0-large-on-the-pad"),
    pytest.param(1, lambda: pad_png(1, size=120, centre=(80, 90)), id="1-small-top-left"),
    pytest.param(4, lambda: pad_png(4, size=160, centre=(180, 170)), id="4-off-centre"),
    pytest.param(3, lambda: pad_png(3, size=90, centre=(200, 200)), id="3-small-bottom-right"),
    pytest.param(7, lambda: white_on_dark(7), id="7-light-on-dark"),
    pytest.param(7, lambda: photo(ink_layer(place(7, 400, 300, (200, 200)), 400, 14)[:, :, 3]), id="7-photo"),
]


@pytest.mark.parametrize("digit, make", PICTURES)
def test_pictures_of_digits_come_back_with_the_right_answer(client, tmp_path, digit, make):
    answer = client.predict(picture_file(tmp_path, make()), api_name="/predict")
    assert answer["digit"] == digit
    assert len(answer["probabilities"]) == 10 and abs(sum(answer["probabilities"]) - 1) < 1e-4
    pixels = np.array(answer["input"])  # the 28x28 input the network saw, white digit on black
    assert pixels.shape == (28, 28) and pixels[0].max() == 0 and pixels.max() > 0.8


def test_a_blank_picture_gets_a_prompt_and_no_answer(client, tmp_path):
    blank = np.zeros((280, 280, 4), np.uint8)
    answer = client.predict(picture_file(tmp_path, blank), api_name="/predict")
    assert answer == {"digit": None, "not_a_digit": False, "runner_up": None, "message": "Draw a digit",
                      "probabilities": None, "input": None}


def test_the_prompt_follows_the_visitors_language(client, tmp_path):
    answer = client.predict(picture_file(tmp_path, np.zeros((64, 64), np.uint8)), "zh-CN", api_name="/predict")
    assert answer["message"] == "请写一个数字"


def test_a_garbage_file_is_an_error_and_the_next_request_succeeds(client, tmp_path):
    bad = tmp_path / "not-an-image.png"
    bad.write_bytes(b"\x89PNG but not really")
    with pytest.raises(AppError, match=r"^This file is not a picture this app reads \(PNG, JPEG"):
        client.predict(handle_file(str(bad)), api_name="/predict")
    assert client.predict(picture_file(tmp_path, pad_png(7)), api_name="/predict")["digit"] == 7


def test_an_oversized_picture_is_refused_with_a_message(client, tmp_path):
    with pytest.raises(AppError, match="largest accepted side is 4000 px"):
        client.predict(picture_file(tmp_path, np.full((64, 4100), 255, np.uint8)), api_name="/predict")


def test_model_info_names_the_shipped_model_and_both_accuracies(client, shipped):
    info = client.predict(api_name="/model_info")
    assert isinstance(info, str) and "784 → 64 → 64 → 64 → 10" in info
    assert f"{shipped.test_accuracy:.2%}" in info and f"{shipped.drawn_accuracy:.2%}" in info


def test_concurrent_predictions_all_succeed(app_url, tmp_path):
    picture = picture_file(tmp_path, pad_png(6))
    results, errors = [], []

    def worker():
        try:
            c = Client(app_url, verbose=False)
            for _ in range(3):
                results.append(c.predict(picture, api_name="/predict")["digit"])
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors and results == [6] * 24


def test_look_inside_shows_input_and_saliency_and_the_servers_numbers(client, shipped):
    png = pad_png(2)
    pictures, unit, numbers = client.predict(data_url(png), api_name="/look_inside")
    assert pictures.count("<img") == 2  # the input and its saliency overlay
    assert unit == ""  # no unit picked
    inside = look_inside(shipped.model, to_mnist(Image.open(__import__("io").BytesIO(png))))
    assert numbers["predicted"] == inside.predicted == 2
    assert [len(a) for a in numbers["activations"]] == [64, 64, 64]
    np.testing.assert_allclose(numbers["logits"], inside.logits, atol=1e-4)


def test_look_inside_an_empty_pad_prompts_in_the_visitors_language(client):
    pictures, unit, numbers = client.predict(None, "zh-CN", api_name="/look_inside")
    assert "请写一个数字" in pictures and numbers is None


@pytest.mark.parametrize("value, message", [
    pytest.param("not a data url", "A drawing must be a PNG picture given as a data URL", id="not-a-data-url"),
    pytest.param("data:image/png;base64,%%%", "not valid base64", id="bad-base64"),
    pytest.param("data:image/png;base64,aGVsbG8=", "A drawing must be a PNG picture given as a data URL", id="not-a-png"),
])
def test_a_malformed_drawing_is_refused_with_a_message(client, value, message):
    with pytest.raises(AppError, match=message):
        client.predict(value, api_name="/look_inside")


def test_the_page_comes_gzipped_to_a_browser_that_takes_it_and_plain_to_one_that_does_not(app_url):
    """A class's phones share one Wi-Fi: the page's HTML (Gradio's config, both languages' texts) is
    most of what they fetch before they can draw (bench/page_load.py)."""
    import gzip
    import urllib.request

    request = urllib.request.Request(app_url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        body, encoding = response.read(), response.headers.get("Content-Encoding")
    assert encoding == "gzip"
    page = gzip.decompress(body)
    assert b"<html" in page.lower() and len(body) < len(page) / 3
    plain = urllib.request.Request(app_url, headers={"Accept-Encoding": "identity"})
    with urllib.request.urlopen(plain, timeout=30) as response:
        assert response.headers.get("Content-Encoding") is None and response.read() == page


def test_the_pages_load_sends_no_weights_pictures_a_drawing_phone_never_looks_at(app_url):
    """Explore's gallery (117 KB for the shipped MLP) comes when Explore is first opened, not to every
    phone of a class with the page's load (bench/page_load.py)."""
    import json
    import urllib.request

    with urllib.request.urlopen(f"{app_url}config", timeout=30) as response:
        config = json.load(response)
    elem = {c["id"]: c.get("props", {}).get("elem_id") for c in config["components"]}
    loads = [d for d in config["dependencies"] if any(trigger == "load" for _, trigger in d["targets"])]
    assert loads and not any("weights" in {elem.get(o) for o in d["outputs"]} for d in loads)
    explore = next(c["id"] for c in config["components"] if c.get("props", {}).get("id") == "explore")
    assert any([explore, "select"] in d["targets"] and "weights" in {elem.get(o) for o in d["outputs"]}
               for d in config["dependencies"])
