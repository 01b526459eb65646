"""The app, launched as `python app.py`, driven through gradio_client as any API user would."""

import base64
import io
import re
import threading

import numpy as np

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError
from PIL import Image

from strokes import DARK_BACKGROUND, LIGHT_BACKGROUND, render_sketch


@pytest.fixture(scope="module")
def client(app_url):
    return Client(app_url, verbose=False)


def upload_sketch(value: dict, folder) -> dict:
    """Save a Sketchpad value's pictures as PNG files, as the browser uploads them."""
    def save(array, name):
        if array is None:
            return None
        Image.fromarray(array).save(folder / name)
        return handle_file(str(folder / name))

    return {"background": save(value["background"], "background.png"),
            "layers": [save(layer, f"layer{i}.png") for i, layer in enumerate(value["layers"])],
            "composite": save(value["composite"], "composite.png")}


def preview_pixels(html: str) -> np.ndarray:
    """The 28x28 picture inside the preview's inline PNG."""
    data = re.search(r'src="data:image/png;base64,([^"]+)"', html)[1]
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(data))))


def shown_digit(result) -> str | None:
    html, label, preview = result
    return label.get("label") if label else None


DRAWINGS = [
    pytest.param(0, 280, 200, None, LIGHT_BACKGROUND, id="0-large-light"),
    pytest.param(1, 280, 120, (80, 90), LIGHT_BACKGROUND, id="1-small-top-left-light"),
    pytest.param(4, 280, 160, (180, 170), DARK_BACKGROUND, id="4-off-centre-dark"),
    pytest.param(7, 280, 220, None, DARK_BACKGROUND, id="7-large-dark"),
    pytest.param(8, 400, 300, None, LIGHT_BACKGROUND, id="8-400px-canvas"),
    pytest.param(3, 280, 90, (200, 200), LIGHT_BACKGROUND, id="3-small-bottom-right"),
]


@pytest.mark.parametrize("digit, canvas, size, centre, background", DRAWINGS)
def test_drawn_digits_come_back_with_the_right_label(client, tmp_path, digit, canvas, size, centre, background):
    value = render_sketch(digit, canvas, size=size, centre=centre, radius=12, background=background)
    html, label, preview = client.predict(upload_sketch(value, tmp_path), api_name="/predict")
    assert label["label"] == str(digit)
    assert f'<div class="digit">{digit}</div>' in html
    assert len(label["confidences"]) == 10
    pixels = preview_pixels(preview)  # the 28x28 input, white digit on black
    assert pixels.shape == (28, 28) and pixels[0].max() == 0 and pixels.max() > 200


def test_drawing_without_layers_uses_the_composite(client, tmp_path):
    value = {**render_sketch(2, 280, radius=12, background=DARK_BACKGROUND), "layers": []}
    assert shown_digit(client.predict(upload_sketch(value, tmp_path), api_name="/predict")) == "2"


def test_a_blank_canvas_shows_no_digit(client, tmp_path):
    blank = render_sketch(5, 280)
    blank["layers"] = [np.zeros_like(blank["layers"][0])]
    blank["composite"] = blank["background"]
    html, label, preview = client.predict(upload_sketch(blank, tmp_path), api_name="/predict")
    assert "Draw a digit" in html and not label and not preview


def test_a_cleared_editor_shows_no_digit(client):
    html, label, preview = client.predict({"background": None, "layers": [], "composite": None}, api_name="/predict")
    assert "Draw a digit" in html and not label and not preview


def test_an_uploaded_photo_is_classified(client, tmp_path):
    from test_preprocess import SEVEN_INK, photo

    path = tmp_path / "photo.jpg"
    Image.fromarray(photo(SEVEN_INK)).save(path)
    assert shown_digit(client.predict(handle_file(str(path)), api_name="/predict_upload")) == "7"


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(lambda p: {"background": None, "layers": [], "composite": handle_file(str(p))}, id="garbage-composite"),
        pytest.param(lambda p: {"background": None, "layers": [handle_file(str(p))], "composite": None}, id="garbage-layer"),
    ],
)
def test_a_garbage_payload_is_an_error_and_the_next_request_succeeds(client, tmp_path, payload):
    bad = tmp_path / "not-an-image.png"
    bad.write_bytes(b"\x89PNG but not really")
    with pytest.raises(AppError, match="cannot read this file as an image"):
        client.predict(payload(bad), api_name="/predict")
    assert shown_digit(client.predict(upload_sketch(render_sketch(7, 280, radius=12), tmp_path), api_name="/predict")) == "7"


def test_an_oversized_upload_is_refused_with_a_message(client, tmp_path):
    path = tmp_path / "huge.png"
    Image.new("L", (4100, 64), 255).save(path)
    with pytest.raises(AppError, match="largest accepted side is 4000 px"):
        client.predict(handle_file(str(path)), api_name="/predict_upload")


def test_concurrent_predictions_all_succeed(app_url, tmp_path):
    value = upload_sketch(render_sketch(6, 280, radius=12), tmp_path)
    results, errors = [], []

    def worker():
        try:
            c = Client(app_url, verbose=False)
            for _ in range(3):
                results.append(shown_digit(c.predict(value, api_name="/predict")))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors and results == ["6"] * 24


def test_look_inside_shows_input_saliency_every_hidden_layer_and_the_scores(client, tmp_path):
    value = upload_sketch(render_sketch(2, 280, radius=12), tmp_path)
    pictures, layers, scores, probabilities, unit = client.predict(value, api_name="/look_inside")
    assert pictures.count("<img") == 2  # the input and its saliency overlay
    assert layers.count("<figure") == 3 and "64 units active" in layers
    assert len(scores["data"]) == 10 and len(probabilities["data"]) == 10


def test_look_inside_speaks_chinese(client, tmp_path):
    value = upload_sketch(render_sketch(2, 280, radius=12), tmp_path)
    _, layers, *_ = client.predict(value, "zh-CN", api_name="/look_inside")
    assert "第 1 层" in layers


def test_a_blank_canvas_prompts_in_the_visitors_language(client):
    html, *_ = client.predict({"background": None, "layers": [], "composite": None}, "zh-CN", api_name="/predict")
    assert "请写一个数字" in html
