"""The recipe's fields, read strictly from whatever a form, a caller or a command line sends."""

import dataclasses

import pytest

from mnist_model import ConfigError
from mnist_model.config import FIELDS, PRESETS, TrainConfig, read_fields
from mnist_model.messages import ERRORS
from support.translations import assert_in_both_languages


def test_every_field_of_the_recipe_but_sgds_momentum_can_be_set_by_a_person():
    assert {f.name for f in FIELDS} == set(TrainConfig.__dataclass_fields__) - {"momentum"}


def test_left_out_and_empty_fields_take_the_presets_values():
    assert read_fields("best", {"epochs": None, "hidden": ""}) == PRESETS["best"]
    assert read_fields(None, {}) == PRESETS["fast"]


@pytest.mark.parametrize("values, expected", [
    pytest.param({"hidden": "128, 64"}, {"hidden": (128, 64)}, id="hidden-as-text"),
    pytest.param({"hidden": [32]}, {"hidden": (32,)}, id="hidden-as-a-list"),
    pytest.param({"epochs": 3.0}, {"epochs": 3}, id="a-whole-number-sent-as-a-float"),
    pytest.param({"augment": True, "drawn": 0.2}, {"augment": True, "drawn": 0.2}, id="switch-and-share"),
    pytest.param({"activation": "sigmoid", "hidden": "32,32"},
                 {"network": {"architecture": "mlp", "hidden": (32, 32), "activation": "sigmoid"}}, id="an-activation"),
    pytest.param({"architecture": "cnn", "activation": "tanh"},
                 {"network": {"architecture": "cnn", "activation": "tanh"}}, id="the-cnn"),
])
def test_values_that_fit_their_field_are_taken(values, expected):
    cfg = read_fields("fast", values)
    assert {k: getattr(cfg, k) for k in expected} == expected


@pytest.mark.parametrize("values, message", [
    pytest.param({"epochs": "3"}, "epochs must be a whole number from 1 to 200, got '3'", id="number-as-text"),
    pytest.param({"epochs": 1.5}, "epochs must be a whole number from 1 to 200, got 1.5", id="fractional-epochs"),
    pytest.param({"epochs": True}, "epochs must be a whole number from 1 to 200, got True", id="a-boolean-for-a-number"),
    pytest.param({"batch_size": "1e3"}, "batch size must be a whole number from 1 to 60000, got '1e3'", id="batch-as-text"),
    pytest.param({"lr": "0.1"}, "learning rate must be a number above 0 and at most 10, got '0.1'", id="lr-as-text"),
    pytest.param({"augment": "yes"}, "augmentation must be true or false, got 'yes'", id="switch-as-text"),
    pytest.param({"augment": 1}, "augmentation must be true or false, got 1", id="switch-as-a-number"),
    pytest.param({"drawn": [0.3]}, "drawn-digit share must be a number from 0 to 0.9, got [0.3]", id="share-as-a-list"),
    pytest.param({"optimizer": "x" * 500}, "optimizer must be one of adam, sgd, got '" + "x" * 38 + "…", id="long-text"),
    pytest.param({"hidden": {"a": 1}}, "hidden sizes must be a list of integers", id="hidden-as-a-dict"),
    pytest.param({"colour": "red"}, "unknown training setting(s): colour", id="unknown-field"),
    pytest.param({"activation": "ReLU"}, "activation must be one of relu, sigmoid, tanh, leaky_relu, got 'ReLU'",
                 id="an-activation-not-in-the-list"),
    pytest.param({"architecture": "CNN"}, "the network must be one of mlp, cnn, got 'CNN'", id="a-network-not-in-the-list"),
])
def test_values_that_do_not_fit_are_refused_naming_the_field(values, message):
    with pytest.raises(ConfigError) as info:
        read_fields("fast", values)
    assert message in str(info.value)


def test_an_unknown_preset_is_refused_in_brief():
    with pytest.raises(ConfigError) as info:
        read_fields("tu" + "r" * 1000, {})
    assert str(info.value) == "unknown preset 'tu" + "r" * 36 + "…: choose one of seed, fast, best, cnn, deep_sigmoid, deep_relu"


def test_every_package_message_exists_in_both_languages_with_the_same_placeholders():
    assert_in_both_languages(ERRORS, untranslated=None)


def test_a_recipe_written_before_the_activation_was_a_choice_reads_as_relu():
    written = TrainConfig(hidden=(32,)).to_dict()
    del written["activation"]
    assert TrainConfig.from_dict(written).activation == "relu"


def test_a_config_is_valid_once_built_so_nothing_after_it_checks_again():
    """TrainConfig.validated() ran 4 times per Train press; a config now cannot exist invalid."""
    with pytest.raises(ConfigError, match="epochs must be a whole number"):
        TrainConfig(epochs=0)
    with pytest.raises(ConfigError, match="8 to 1024 units"):
        dataclasses.replace(TrainConfig(), hidden=(4,))
    cfg = TrainConfig(hidden=[32, 16], lr=1, drawn=0)
    assert cfg.hidden == (32, 16) and isinstance(cfg.lr, float) and isinstance(cfg.drawn, float)
