"""The small CNN in the app (issue 22): trained, used, looked inside and saved through the API; the
shipped CNN picked by name; its payload for the page; its name, Step's and Explore's views in both
languages."""

import base64

import numpy as np
import pytest
import torch
from gradio_client import Client, handle_file

from app_server.visitors import Visitor, host_models
from app_ui.components import model_payload
from app_ui.explore_tab import unit_html
from app_ui.page import describe_model
from app_ui.render import step_html
from mnist_model import Classifier, checkpoint
from mnist_model.explain import first_layer_weights, look_inside
from mnist_model.model import CNN
from support.strokes import data_url, doodle_png, pad_png

CNN_SHAPE = "28×28 → 8×24×24 → 16×8×8 → 160 → 10, ReLU"


def train(client: Client, **changes):
    """A training run through the API, the fast preset's values but for `changes`."""
    return client.submit(**{"preset": "fast", "device": "cpu", **changes}, api_name="/train")


def test_a_cnn_trains_draws_shows_its_feature_maps_and_saves_as_a_cnn(app_url, app_dir):
    client = Client(app_url, verbose=False)
    train(client, architecture="cnn", epochs=1, batch_size=64, lr=0.003).result(timeout=300)
    assert f"small CNN {CNN_SHAPE}" in client.predict(api_name="/use_trained")
    _, _, numbers = client.predict(data_url(pad_png(4)), api_name="/look_inside")
    maps1, maps2, hidden = (np.array(a) for a in numbers["activations"])
    assert maps1.shape == (8, 24, 24) and maps2.shape == (16, 8, 8) and hidden.shape == (160,)
    client.predict("cnn-net", api_name="/save")
    (path,) = (app_dir / "visitors").glob("*/saved/cnn-net.safetensors")
    assert isinstance(checkpoint.load(path)[0], CNN)


def test_the_shipped_cnn_is_picked_by_name_and_the_mlp_stays_the_default(app_url):
    if not checkpoint.SHIPPED_CNN.is_file():
        pytest.skip("no shipped CNN checkpoint")
    assert list(host_models())[:2] == ["shipped", "shipped-cnn"]
    client = Client(app_url, verbose=False)
    assert "MLP 784 → 64 → 64 → 64 → 10" in client.predict(api_name="/model_info")
    shipped_cnn = CNN_SHAPE.replace("→ 10,", "→ 11,")  # (it answers "not a digit" too)
    assert f"small CNN {shipped_cnn}" in client.predict("shipped-cnn", api_name="/load_checkpoint")
    assert "MLP 784 → 64 → 64 → 64 → 10" in client.predict(api_name="/reset_model")


@pytest.mark.parametrize("kind", ["heart", "house", "flower"])
def test_the_shipped_cnn_says_a_doodle_is_not_a_digit_through_predict_where_the_shipped_mlp_names_a_digit(
        app_url, tmp_path, kind):
    if not checkpoint.SHIPPED_CNN.is_file():
        pytest.skip("no shipped CNN checkpoint")
    client = Client(app_url, verbose=False)
    picture = tmp_path / f"{kind}.png"
    picture.write_bytes(doodle_png(kind))
    ten = client.predict(handle_file(str(picture)), api_name="/predict")
    assert len(ten["probabilities"]) == 10 and ten["digit"] is not None and ten["not_a_digit"] is False
    client.predict("shipped-cnn", api_name="/load_checkpoint")
    eleven = client.predict(handle_file(str(picture)), api_name="/predict")
    assert len(eleven["probabilities"]) == 11 and eleven["digit"] is None and eleven["not_a_digit"] is True
    picture.write_bytes(pad_png(4))
    assert client.predict(handle_file(str(picture)), api_name="/predict")["digit"] == 4  # and a digit is one


def test_the_cnns_payload_holds_its_weights_in_torchs_order_with_its_shapes():
    torch.manual_seed(0)
    clf = Classifier(CNN("tanh"))
    payload = model_payload(clf)
    assert payload["architecture"] == "cnn" and payload["activation"] == "tanh"
    assert payload["maps"] == [[8, 24], [16, 8]] and payload["kernel"] == 5 and payload["pool"] == 2
    assert payload["sizes"] == [784, 8 * 24 * 24, 16 * 8 * 8, 160, 10]
    floats = np.frombuffer(base64.b64decode(payload["data"]), "<f4")
    expected = np.concatenate([t.detach().numpy().ravel() for t in clf.model.state_dict().values()])
    assert floats.size == clf.parameters and np.array_equal(floats, expected)


@pytest.mark.parametrize("lang, name", [("en", "small CNN"), ("zh-CN", "小型卷积网络")])
def test_the_active_cnn_is_named_in_the_pages_language(lang, name):
    visitor = Visitor()
    visitor.put("active", Classifier(CNN()))
    assert f"{name} {CNN_SHAPE}" in describe_model(visitor, lang)
    visitor.put("active", None)
    assert ("MLP 784 → 64" if lang == "en" else "多层感知机 784 → 64") in describe_model(visitor, lang)


@pytest.mark.parametrize("lang, said", [("en", '→ 11, ReLU (its 11th answer: "not a digit")'),
                                        ("zh-CN", "→ 11, ReLU（第 11 个答案：“不是数字”）")])
def test_a_network_with_the_11th_answer_is_said_to_answer_not_a_digit(lang, said):
    visitor = Visitor()
    visitor.put("active", Classifier(CNN(answers=11)))
    assert said in describe_model(visitor, lang)
    visitor.put("active", Classifier(CNN()))
    assert "11" not in describe_model(visitor, lang)


@pytest.mark.usefixtures("tiny_data")
def test_step_and_explore_show_a_cnns_filters_and_feature_maps():
    from mnist_model.config import preset
    from mnist_model.training_run import mnist_on
    from mnist_model.step import new_run, take_step

    run = new_run(preset("fast", architecture="cnn"), torch.device("cpu"))
    report = take_step(run, mnist_on("cpu"))
    html = step_html(report, "en")
    assert "5 × 5 filters" in html and "28 × 28 tile" not in html
    digit = np.random.default_rng(0).random((28, 28), dtype=np.float32)
    detail = unit_html(first_layer_weights(run.model), look_inside(run.model, digit), 3, None, "en")
    assert "feature map 3 of the first convolution" in detail and detail.count("<img") == 2
