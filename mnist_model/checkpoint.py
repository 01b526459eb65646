"""Checkpoints: safetensors weights plus JSON metadata; validated on load, written atomically.

A checkpoint is never a pickle, so loading one never runs code. Metadata records what is needed
to rebuild the model (its format names the network: an MLP's, "mnist_model.mlp/1", with its hidden
sizes, or the small CNN's, "mnist_model.cnn/1"; and the activation: checkpoints from before the
activation was a choice are ReLU networks; "answers": 11 for a network that also says "not a digit",
ten answers without it) and to judge it (preprocessing version, training recipe, test
accuracy, library versions, creation time).
"""

import json
import math
import os
import re
import struct
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import torch

from .errors import CheckpointError
from .model import (ANSWERS, CNN, DEFAULT_ACTIVATION, INPUT_SIZE, MAX_LAYERS, MAX_UNITS, MLP, NUM_CLASSES,
                    build_network, validate_activation, validate_answers, validate_hidden)
from .preprocess import PREPROCESS_VERSION

FORMAT = "mnist_model.mlp/1"
# The small CNN's files have their own tag: a reader from before the CNN refuses them by their format
# ("expected mnist_model.mlp/1") instead of building an MLP from them and failing on its shapes.
CNN_FORMAT = "mnist_model.cnn/1"
FORMATS = {FORMAT: "mlp", CNN_FORMAT: "cnn"}
MAX_HEADER = 2**20  # bytes of JSON header: ours are a few kilobytes
MAX_DEPTH = 8  # nesting of the metadata's JSON: ours is 3 deep
MAX_BYTES = 64 * 2**20  # the largest network allowed (10 x 1024 units) is about 41 MB
_SIZES = (INPUT_SIZE, *(MAX_UNITS,) * MAX_LAYERS, max(ANSWERS))
# the file of the largest network the form trains (10 x 1024 units): its float32 weights and biases,
# and room for its header (a host's upload limit lets every model it trains be uploaded again)
LARGEST_BYTES = 4 * sum(a * b + b for a, b in zip(_SIZES, _SIZES[1:])) + 2**16
SHIPPED = Path(__file__).resolve().parent.parent / "checkpoints" / "mnist_mlp.safetensors"
SHIPPED_CNN = SHIPPED.with_name("mnist_cnn.safetensors")  # the small CNN beside it (issue 22)


def _library_versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    import safetensors

    from . import __version__

    try:
        torchvision = version("torchvision")  # (its version without importing it: some 150 MB)
    except PackageNotFoundError:
        torchvision = None
    return {"mnist_model": __version__, "torch": torch.__version__,
            "torchvision": torchvision, "safetensors": safetensors.__version__}


def dumps(model: MLP | CNN, test_accuracy: float | None = None, recipe: dict | None = None, **extra) -> bytes:
    """`model` and its metadata as a checkpoint's bytes (what save writes, and load_bytes reads)."""
    from safetensors.torch import save as to_bytes

    meta = {
        "recipe": recipe or {},
        "test_accuracy": test_accuracy,
        **extra,
        # what this file is, whatever the metadata it was handed (a loaded model's, say) said
        **_network_metadata(model),
        "preprocess_version": PREPROCESS_VERSION,
        "versions": _library_versions(),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    tensors = {k: v.detach().to("cpu", torch.float32).contiguous() for k, v in model.state_dict().items()}
    return to_bytes(tensors, metadata={"mnist_model": json.dumps(meta)})


def _network_metadata(model: MLP | CNN) -> dict:
    """The format and the metadata that rebuild `model`: an MLP's as before the CNN, so that older
    readers still load it; a CNN's under its own format."""
    answers = {} if model.answers == NUM_CLASSES else {"answers": model.answers}  # (11: "not a digit" too)
    if isinstance(model, CNN):
        return {"format": CNN_FORMAT, "architecture": "cnn", "activation": model.activation, **answers}
    return {"format": FORMAT, "architecture": "mlp", "hidden": list(model.hidden), "activation": model.activation,
            **answers}


def save(path: str | os.PathLike, model: MLP | CNN, test_accuracy: float | None = None,
         recipe: dict | None = None, **extra) -> Path:
    """Write `model` and its metadata to `path` atomically (temporary file, then rename)."""
    path = Path(path)
    blob = dumps(model, test_accuracy, recipe, **extra)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _header(blob: bytes, name: str) -> dict:
    if len(blob) < 8:
        raise CheckpointError("ckpt_too_short", name=name, size=len(blob))
    (size,) = struct.unpack("<Q", blob[:8])
    if size > len(blob) - 8:
        raise CheckpointError("ckpt_truncated", name=name)
    if size > MAX_HEADER:
        raise CheckpointError("ckpt_unreadable_header", name=name)
    try:
        header = json.loads(blob[8 : 8 + size])
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise CheckpointError("ckpt_unreadable_header", name=name) from None
    if not isinstance(header, dict):
        raise CheckpointError("ckpt_unreadable_header", name=name)
    return header


def read_metadata(blob: bytes, name: str = "the checkpoint") -> dict:
    """The mnist_model metadata stored in a checkpoint's bytes, validated."""
    header = _header(blob, name)
    raw = (header.get("__metadata__") or {}).get("mnist_model")
    if raw is None:
        raise CheckpointError("ckpt_foreign", name=name)
    try:
        meta = json.loads(raw) if isinstance(raw, str) else None
    except (ValueError, RecursionError):  # JSONDecodeError, or an integer of thousands of digits
        raise CheckpointError("ckpt_bad_metadata", name=name) from None
    if not isinstance(meta, dict) or meta.get("format") not in FORMATS:
        found = meta.get("format") if isinstance(meta, dict) else None
        raise CheckpointError("ckpt_format", name=name, found=found if isinstance(found, str) else None,
                              expected=" or ".join(FORMATS))
    if _depth(meta) > MAX_DEPTH:
        raise CheckpointError("ckpt_bad_metadata", name=name)
    try:
        meta["architecture"] = FORMATS[meta["format"]]
        if meta["architecture"] == "mlp":
            meta["hidden"] = list(validate_hidden(meta.get("hidden")))
        meta["activation"] = validate_activation(meta.get("activation", DEFAULT_ACTIVATION))
        meta["answers"] = validate_answers(meta.get("answers", NUM_CLASSES))  # (files from before: ten)
    except ValueError as exc:
        raise CheckpointError("ckpt_invalid_network", name=name, reason=exc) from None
    for key in ("test_accuracy", "drawn_accuracy"):
        value = meta.get(key)
        if value is not None and not _is_share(value):
            raise CheckpointError("ckpt_bad_accuracy", name=name, key=key)
    for key, fits in METADATA.items():
        if key in meta and meta[key] is not None and not fits(meta[key]):
            raise CheckpointError("ckpt_bad_field", name=name, key=key)
    return meta


def _is_share(value) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value) and 0 <= value <= 1


def _short_text(limit: int):
    return lambda value: isinstance(value, str) and len(value) <= limit


def _numbers(value) -> bool:
    """A dict of short names to numbers, lists of numbers or short texts (a recipe, a teaching record)."""
    def fits(item) -> bool:
        if isinstance(item, bool) or item is None:
            return True
        if isinstance(item, (int, float)):
            return math.isfinite(item) and abs(item) < 2**63
        if isinstance(item, str):
            return len(item) <= 64
        if isinstance(item, list):
            return len(item) <= 64 and all(fits(i) for i in item)
        if isinstance(item, dict):
            return len(item) <= 64 and all(isinstance(k, str) and len(k) <= 64 and fits(v) for k, v in item.items())
        return False
    return isinstance(value, dict) and fits(value)


# What the metadata's other keys may hold (the hidden sizes and accuracies are checked above); a key
# not listed here is kept as it is, within the header's size and depth bounds.
METADATA = {
    "preprocess_version": lambda v: not isinstance(v, bool) and isinstance(v, int) and 0 < v < 1000,
    "recipe": _numbers,
    "teaching": _numbers,
    "versions": lambda v: isinstance(v, dict) and len(v) <= 16 and all(
        isinstance(k, str) and len(k) <= 32 and isinstance(x, str) and len(x) <= 40 for k, x in v.items()),
    "created": lambda v: isinstance(v, str) and len(v) <= 40 and _is_date(v),
    "device": _short_text(32),
    "name": _short_text(64),
}


def _is_date(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _depth(value) -> int:
    """How deeply `value` (parsed JSON) nests lists and objects."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            todo.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def network_of(meta: dict) -> dict:
    """The `network` dict (build_network's arguments) that validated metadata describes."""
    answers = {} if meta["answers"] == NUM_CLASSES else {"answers": meta["answers"]}
    if meta["architecture"] == "cnn":
        return {"architecture": "cnn", "activation": meta["activation"], **answers}
    return {"architecture": "mlp", "hidden": tuple(meta["hidden"]), "activation": meta["activation"], **answers}


def load_bytes(blob: bytes, name: str = "the checkpoint") -> tuple[MLP | CNN, dict]:
    """Rebuild the model stored in `blob`; CheckpointError for anything corrupt or foreign."""
    from safetensors.torch import load as from_bytes

    if not blob:
        raise CheckpointError("ckpt_empty", name=name)
    if len(blob) > MAX_BYTES:
        raise CheckpointError("ckpt_too_big", name=name, mb=f"{len(blob) / 2**20:.0f}")
    meta = read_metadata(blob, name)
    try:
        tensors = from_bytes(blob)
    except Exception as exc:  # safetensors' own error type varies between versions
        raise CheckpointError("ckpt_corrupt", name=name, reason=exc) from None
    model = build_network(**network_of(meta))
    # every tensor the network has, of its shape, and no other (an MLP's: layers.i.weight (out, in)
    # and layers.i.bias (out,); a CNN's convolutions' (out, in, 5, 5) too)
    expected = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    found = {k: tuple(v.shape) for k, v in tensors.items()}
    if found != expected:
        raise CheckpointError("ckpt_shapes", name=name, network=model)
    for key, tensor in tensors.items():
        if tensor.dtype != torch.float32 or not bool(torch.isfinite(tensor).all()):
            raise CheckpointError("ckpt_values", name=name, key=key)
    model.load_state_dict(tensors)
    if not answers_finitely(model.eval()):
        raise CheckpointError("ckpt_overflows", name=name)
    return model, meta


SCORE_LIMIT = 1e30  # a layer's largest possible output, at most: far below float32's 3.4e38, and beyond any trained network's


def answers_finitely(model: MLP | CNN) -> bool:
    """Whether every drawing's scores are numbers: the largest any layer can output for a picture of
    values in [0, 1] (its inputs' largest times the sum of each unit's |weights|, plus |bias|: a
    convolution's too; ReLU keeps a size, sigmoid and tanh stay within 1, max-pooling keeps it), in
    float64, stays under SCORE_LIMIT. Finite weights of ±3e38 gave ten probabilities of NaN and a Teach
    that "succeeded" at 9.8 % (a blank pad and a drawn 1 alone would miss weights on two pixels)."""
    largest = 1.0
    squashed = model.activation in ("sigmoid", "tanh")
    with torch.no_grad():
        for i, layer in enumerate(model.layers):
            weight = layer.weight.double().abs().flatten(1).sum(1)
            largest = float((weight * largest + layer.bias.double().abs()).max())
            if not math.isfinite(largest) or largest > SCORE_LIMIT:
                return False
            if squashed and i < len(model.layers) - 1:
                largest = min(largest, 1.0)
    return True


def load(path: str | os.PathLike, name: str | None = None) -> tuple[MLP | CNN, dict]:
    """Read and validate the checkpoint at `path`; returns (model in eval mode, metadata). Messages
    call the file `name` (default: its path; the app gives an upload's own file name)."""
    path = Path(path)
    name = str(path) if name is None else name
    if not path.is_file():
        raise CheckpointError("ckpt_missing", path=name)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise CheckpointError("ckpt_too_big", name=name, mb=f"{size / 2**20:.0f}")
    return load_bytes(path.read_bytes(), name)


# --- named checkpoints in a folder (what the app's Save and model picker use) ----------------

NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
# the shipped models' names, in any folder, in any case
RESERVED_NAMES = {"shipped", SHIPPED.stem, "shipped-cnn", SHIPPED_CNN.stem}
# names Windows keeps for devices: NAME.safetensors cannot be written there
WINDOWS_NAMES = re.compile(r"con|prn|aux|nul|com[0-9]|lpt[0-9]", re.IGNORECASE)


def named_path(folder: str | os.PathLike, name: str) -> Path:
    """The file for checkpoint `name` in `folder`; names are letters, digits, '-' and '_' only,
    so no name can reach outside the folder."""
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name.strip()):
        raise CheckpointError("name_not_allowed", name=name)
    name = name.strip()
    if name.lower() in {n.lower() for n in RESERVED_NAMES}:  # file systems may ignore case
        raise CheckpointError("name_reserved", name=name)
    if WINDOWS_NAMES.fullmatch(name):
        raise CheckpointError("name_windows", name=name)
    return Path(folder) / f"{name}.safetensors"


def save_named(folder: str | os.PathLike, name: str, model: MLP | CNN, **meta) -> Path:
    """Save `model` as `name` in `folder` (atomically), never over the shipped checkpoint."""
    return save(named_path(folder, name), model, name=name.strip(), **meta)


def shipped_models() -> dict[str, Path]:
    """The shipped checkpoints by the names a picker lists: the MLP (the lesson's default) first, then
    the small CNN when it is there."""
    return {"shipped": SHIPPED, **({"shipped-cnn": SHIPPED_CNN} if SHIPPED_CNN.is_file() else {})}


def list_named(folder: str | os.PathLike) -> dict[str, Path]:
    """Checkpoints available to pick: the shipped ones first, then every *.safetensors in `folder`."""
    found = shipped_models()
    folder = Path(folder)
    if folder.is_dir():
        for path in sorted(folder.glob("*.safetensors")):
            if path.resolve() not in (SHIPPED, SHIPPED_CNN):
                found[path.stem] = path
    return found
