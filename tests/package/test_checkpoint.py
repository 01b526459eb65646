"""Checkpoints round-trip, carry their metadata, refuse anything corrupt or foreign, save atomically."""

import json
import os
import pickle

import pytest
import torch
from safetensors.torch import save as safetensors_bytes

from mnist_model import CheckpointError, Classifier, checkpoint
from mnist_model.model import MLP


@pytest.fixture
def model():
    torch.manual_seed(0)
    return MLP((32, 16))


@pytest.fixture
def saved(tmp_path, model):
    return checkpoint.save(tmp_path / "m.safetensors", model, test_accuracy=0.9, recipe={"epochs": 1})


def test_round_trip_rebuilds_the_same_network_and_metadata(saved, model):
    loaded, meta = checkpoint.load(saved)
    assert loaded.hidden == (32, 16)
    for a, b in zip(loaded.state_dict().values(), model.state_dict().values()):
        assert torch.equal(a, b)
    assert meta["test_accuracy"] == 0.9
    assert meta["recipe"] == {"epochs": 1}
    assert meta["preprocess_version"] >= 1
    assert set(meta["versions"]) >= {"torch", "torchvision", "safetensors", "mnist_model"}
    assert meta["created"].endswith("+00:00")


def test_classifier_loads_any_valid_checkpoint(saved):
    clf = Classifier.load(saved)
    assert clf.hidden == (32, 16) and clf.test_accuracy == 0.9


def test_shipped_checkpoint_is_the_tutorial_network(shipped):
    assert shipped.hidden == (64, 64, 64)
    assert shipped.meta["recipe"]["augment"] is True


def _foreign_safetensors():
    return safetensors_bytes({"weight": torch.zeros(3)}, metadata={"framework": "other"})


def _wrong_shapes(saved):
    blob = saved.read_bytes()
    meta = checkpoint.read_metadata(blob)
    meta["hidden"] = [64]
    tensors = {"layers.0.weight": torch.zeros(64, 784), "layers.0.bias": torch.zeros(64)}
    return safetensors_bytes(tensors, metadata={"mnist_model": json.dumps(meta)})


def _with_nan(saved):
    model, meta = checkpoint.load(saved)
    tensors = {k: v.clone() for k, v in model.state_dict().items()}
    tensors["layers.0.bias"][0] = float("nan")
    return safetensors_bytes(tensors, metadata={"mnist_model": json.dumps(meta)})


def _overflowing(saved):
    """Finite weights whose forward pass overflows float32: every score NaN."""
    model, meta = checkpoint.load(saved)
    tensors = {k: torch.full_like(v, 3e38 if i % 2 else -3e38) for i, (k, v) in enumerate(model.state_dict().items())}
    return safetensors_bytes(tensors, metadata={"mnist_model": json.dumps(meta)})


def _overflowing_on_two_pixels(saved):
    """Trained weights, but for two pixels' (row 14, columns 8 and 9) of 3e38: a stroke across them
    overflows, a blank pad and a 1 down the middle do not."""
    model, meta = checkpoint.load(saved)
    tensors = {k: v.clone() for k, v in model.state_dict().items()}
    tensors["layers.0.weight"][:, 14 * 28 + 8: 14 * 28 + 10] = 3e38
    return safetensors_bytes(tensors, metadata={"mnist_model": json.dumps(meta)})


BAD_FILES = [
    pytest.param(lambda s: b"", "is empty", id="empty"),
    pytest.param(lambda s: s.read_bytes()[: len(s.read_bytes()) // 2], "truncated", id="truncated"),
    pytest.param(lambda s: s.read_bytes()[:5], "only 5 bytes", id="tiny"),
    pytest.param(lambda s: pickle.dumps({"layers.0.weight": [1, 2, 3]}), "not a safetensors checkpoint", id="pickle-renamed"),
    pytest.param(lambda s: os.urandom(5000), "not a safetensors checkpoint", id="random-bytes"),
    pytest.param(lambda s: b"\x10\x00\x00\x00\x00\x00\x00\x00{not json at all", "unreadable header", id="bad-header"),
    pytest.param(lambda s: _foreign_safetensors(), "not an mnist_model checkpoint", id="foreign-safetensors"),
    pytest.param(_wrong_shapes, "do not fit its network", id="wrong-shapes"),
    pytest.param(_with_nan, "non-finite", id="nan-weights"),
    pytest.param(_overflowing, "could overflow", id="finite-weights-that-overflow"),
    pytest.param(_overflowing_on_two_pixels, "could overflow", id="two-pixels-weights-that-overflow"),
]


@pytest.mark.parametrize("make, message", BAD_FILES)
def test_bad_files_are_refused_with_a_clear_message(tmp_path, saved, make, message):
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(make(saved))
    with pytest.raises(CheckpointError, match=message) as info:
        checkpoint.load(bad)
    assert isinstance(info.value, ValueError)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(CheckpointError, match="no checkpoint file at"):
        Classifier.load(tmp_path / "nope.safetensors")


def test_loading_a_pickle_never_runs_its_code(tmp_path):
    marker = tmp_path / "ran"

    class Exploit:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    bad = tmp_path / "exploit.safetensors"
    bad.write_bytes(pickle.dumps(Exploit()))
    with pytest.raises(CheckpointError):
        checkpoint.load(bad)
    assert not marker.exists()


def test_an_interrupted_save_leaves_the_old_file_intact(tmp_path, saved, model, monkeypatch):
    before = saved.read_bytes()

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        checkpoint.save(saved, MLP((8,)))
    assert saved.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.safetensors"]  # no temporary file left


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("../evil", id="parent-traversal"),
        pytest.param("/etc/passwd", id="absolute-path"),
        pytest.param("a/b", id="subfolder"),
        pytest.param("", id="empty"),
        pytest.param(".hidden", id="dot-file"),
        pytest.param("x" * 65, id="too-long"),
        pytest.param("mnist_mlp", id="the-shipped-name"),
    ],
)
def test_unsafe_checkpoint_names_are_refused(model, name):
    with pytest.raises(CheckpointError):
        checkpoint.save_named(checkpoint.SHIPPED.parent, name, model)


def test_the_shipped_checkpoint_is_never_overwritten_by_name(model):
    before = checkpoint.SHIPPED.read_bytes()
    with pytest.raises(CheckpointError, match="is the shipped model and cannot be overwritten"):
        checkpoint.save_named(checkpoint.SHIPPED.parent, "mnist_mlp", model)
    assert checkpoint.SHIPPED.read_bytes() == before


def test_named_checkpoints_are_saved_and_listed_after_the_shipped_one(tmp_path, model):
    path = checkpoint.save_named(tmp_path, "my-model_2", model, test_accuracy=0.5)
    assert path == tmp_path / "my-model_2.safetensors"
    assert list(checkpoint.list_named(tmp_path)) == [*checkpoint.shipped_models(), "my-model_2"]
    assert checkpoint.load(path)[1]["name"] == "my-model_2"


def _with_metadata(saved, tmp_path, **patch):
    import json

    from safetensors import safe_open
    from safetensors.torch import load_file, save

    with safe_open(str(saved), "pt") as f:
        meta = json.loads(f.metadata()["mnist_model"])
    raw = patch.pop("raw", None)
    meta.update(patch)
    path = tmp_path / "patched.safetensors"
    path.write_bytes(save(load_file(str(saved)), metadata={"mnist_model": raw or json.dumps(meta)}))
    return path


@pytest.mark.parametrize("patch, message", [
    pytest.param({"raw": "[" * 5000 + "]" * 5000}, "has unreadable metadata", id="deeply-nested-json"),
    pytest.param({"recipe": {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": 1}}}}}}}}}, "has unreadable metadata",
                 id="too-deep-metadata"),
    pytest.param({"test_accuracy": "very high"}, "an impossible test_accuracy", id="accuracy-not-a-number"),
    pytest.param({"test_accuracy": 1.5}, "an impossible test_accuracy", id="accuracy-over-one"),
    pytest.param({"raw": '{"format": "mnist_model.mlp/1", "hidden": [32, 16], "test_accuracy": 1e309}'},
                 "an impossible test_accuracy", id="accuracy-infinite"),
    pytest.param({"drawn_accuracy": -0.1}, "an impossible drawn_accuracy", id="drawn-accuracy-negative"),
    pytest.param({"recipe": [1, 2]}, "an impossible recipe", id="recipe-not-an-object"),
    pytest.param({"raw": '{"format": "mnist_model.mlp/1", "hidden": [32, 16], "created": ' + "9" * 401 + "}"},
                 "an impossible created", id="created-a-huge-number"),
    pytest.param({"raw": '{"format": "mnist_model.mlp/1", "hidden": [32, 16], "created": ' + "9" * 5000 + "}"},
                 "has unreadable metadata", id="a-number-of-5000-digits"),
    pytest.param({"created": "yesterday"}, "an impossible created", id="created-not-a-date"),
    pytest.param({"device": ["cuda:7"]}, "an impossible device", id="device-a-list"),
    pytest.param({"device": "x" * 1000}, "an impossible device", id="device-a-long-text"),
    pytest.param({"name": 7}, "an impossible name", id="name-a-number"),
    pytest.param({"versions": {"torch": ["2"]}}, "an impossible versions", id="versions-not-texts"),
    pytest.param({"preprocess_version": True}, "an impossible preprocess_version", id="preprocess-version-a-boolean"),
    pytest.param({"recipe": {"epochs": float("inf")}}, "an impossible recipe", id="recipe-an-infinite-number"),
])
def test_impossible_metadata_is_refused_in_one_line_naming_the_file_as_told(saved, tmp_path, patch, message):
    path = _with_metadata(saved, tmp_path, **patch)
    with pytest.raises(CheckpointError) as info:
        checkpoint.load(path, name="upload.safetensors")
    assert message in str(info.value) and str(info.value).startswith("upload.safetensors ")
    assert str(tmp_path) not in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("name", ["MNIST_MLP", "Shipped", "con", "NUL", "lpt1", "Com7"])
def test_reserved_and_windows_device_names_are_refused_whatever_their_case(model, tmp_path, name):
    with pytest.raises(CheckpointError, match="shipped model|device name on Windows"):
        checkpoint.save_named(tmp_path, name, model)
    assert not list(tmp_path.iterdir())


def test_error_messages_speak_the_pages_language(tmp_path):
    with pytest.raises(CheckpointError) as info:
        checkpoint.load(tmp_path / "missing.safetensors", name="missing.safetensors")
    assert info.value.message("zh-CN") == "missing.safetensors 处没有检查点文件"
    assert str(info.value) == "no checkpoint file at missing.safetensors"


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "leaky_relu"])
def test_a_networks_activation_survives_the_round_trip(tmp_path, activation):
    torch.manual_seed(0)
    model = MLP((16, 16), activation)
    loaded, meta = checkpoint.load(checkpoint.save(tmp_path / "m.safetensors", model))
    x = torch.rand(3, 784)
    assert loaded.activation == meta["activation"] == activation
    torch.testing.assert_close(loaded(x), model(x))


def test_a_checkpoint_from_before_the_activation_was_a_choice_loads_as_relu(saved, tmp_path):
    old = '{"format": "mnist_model.mlp/1", "hidden": [32, 16], "test_accuracy": 0.9}'  # the metadata written then
    loaded, meta = checkpoint.load(_with_metadata(saved, tmp_path, raw=old))
    assert loaded.activation == meta["activation"] == "relu"


def test_an_unknown_activation_is_refused_in_one_line(saved, tmp_path):
    with pytest.raises(CheckpointError) as info:
        checkpoint.load(_with_metadata(saved, tmp_path, activation="swish"), name="upload.safetensors")
    assert str(info.value).startswith("upload.safetensors describes an invalid network: activation must be one of")


def test_the_shipped_networks_and_every_fresh_one_the_form_builds_answer_finitely():
    from mnist_model.model import MAX_LAYERS, MAX_UNITS, build_network

    assert checkpoint.answers_finitely(checkpoint.load(checkpoint.SHIPPED)[0])
    assert checkpoint.answers_finitely(checkpoint.load(checkpoint.SHIPPED_CNN)[0])
    for network in ({"architecture": "mlp", "hidden": (MAX_UNITS,) * MAX_LAYERS, "activation": "relu"},
                    {"architecture": "cnn", "activation": "leaky_relu"}):
        assert checkpoint.answers_finitely(build_network(**network))
