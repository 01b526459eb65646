"""Where the data lives, what happens when it is missing, and that reading it writes nothing."""

import urllib.error
from pathlib import Path

import pytest
import torch

from mnist_model import DataNotFoundError
from mnist_model.data import RAW_FILES, load_mnist, resolve_data_dir


def test_data_folder_is_the_argument_then_the_environment_then_data(monkeypatch):
    monkeypatch.setenv("MNIST_DATA_DIR", "/from/env")
    assert resolve_data_dir("/explicit") == Path("/explicit")
    assert resolve_data_dir() == Path("/from/env")
    monkeypatch.delenv("MNIST_DATA_DIR")
    assert resolve_data_dir() == Path("data")


def test_loaded_set_is_resident_training_images_as_bytes_test_images_as_floats(tiny_mnist):
    data = load_mnist(tiny_mnist, download=False)
    assert data.train_x.shape == (400, 28, 28) and data.train_x.dtype == torch.uint8  # a quarter of the memory
    assert data.test_x.shape == (100, 28, 28) and data.test_x.dtype == torch.float32
    assert 0.0 <= data.test_x.min() and data.test_x.max() <= 1.0 and data.train_x.max() > 1
    assert data.train_y.dtype == torch.int64 and set(data.train_y.tolist()) == set(range(10))


def test_missing_data_without_download_names_the_folder_and_the_files(tmp_path):
    with pytest.raises(DataNotFoundError) as info:
        load_mnist(tmp_path / "empty", download=False)
    message = str(info.value)
    assert str(tmp_path / "empty" / "MNIST" / "raw") in message
    assert all(name in message for name in RAW_FILES)
    assert "\n" not in message
    assert not (tmp_path / "empty").exists()


def test_failed_download_leaves_no_half_written_folder(tmp_path, monkeypatch):
    """Offline: every download attempt fails; the error says so and nothing is created."""
    from torchvision.datasets import utils

    def offline(*args, **kwargs):
        raise urllib.error.URLError("network is unreachable")

    monkeypatch.setattr(utils.urllib.request, "urlopen", offline)
    with pytest.raises(DataNotFoundError, match="download failed: urlopen error network is unreachable"):
        load_mnist(tmp_path / "data", download=True)
    assert not (tmp_path / "data").exists()


def test_the_training_sets_size_is_read_from_its_header_alone(tiny_mnist, tmp_path):
    from mnist_model.data import train_size

    assert train_size(tiny_mnist) == 400
    assert train_size(tmp_path / "nothing") is None


def test_reading_writes_nothing_next_to_the_data(tiny_mnist):
    before = sorted(p.relative_to(tiny_mnist) for p in tiny_mnist.rglob("*"))
    load_mnist(tiny_mnist, download=True)
    assert sorted(p.relative_to(tiny_mnist) for p in tiny_mnist.rglob("*")) == before


def test_the_files_are_read_as_torchvision_reads_them(tiny_mnist):
    from torchvision.datasets import MNIST

    from mnist_model.data import read_split

    for train in (True, False):
        images, labels = read_split(tiny_mnist, train=train)
        theirs = MNIST(str(tiny_mnist), train=train, download=False)
        assert torch.equal(images, theirs.data) and torch.equal(labels, theirs.targets)
        assert images.dtype == torch.uint8 and labels.dtype == torch.int64


@pytest.mark.parametrize("damage", ["truncated", "compressed", "labels for other images"])
def test_a_damaged_file_is_refused_in_one_line_naming_it(tiny_mnist, tmp_path, damage):
    import shutil

    root = tmp_path / "data"
    shutil.copytree(tiny_mnist, root)
    raw = root / "MNIST" / "raw"
    if damage == "truncated":
        path = raw / RAW_FILES[2]
        path.write_bytes(path.read_bytes()[:-100])
    elif damage == "compressed":
        import gzip

        path = raw / RAW_FILES[2]
        path.write_bytes(gzip.compress(path.read_bytes()))
    else:
        path = raw / RAW_FILES[3]
        data = path.read_bytes()
        path.write_bytes(data[:4] + (int.from_bytes(data[4:8], "big") - 1).to_bytes(4, "big") + data[8:-1])
    with pytest.raises(DataNotFoundError) as refused:
        load_mnist(root, download=False)
    message = str(refused.value)
    assert path.name in message and "\n" not in message and "Traceback" not in message
