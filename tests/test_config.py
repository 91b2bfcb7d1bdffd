"""Settings: defaults, PRESSE_* variables, explicit values; the ranking weights are code, not configuration."""

from dataclasses import replace

from search.config import Settings, env_setting_names
from search.weights import Weights


def test_variables_override_defaults_and_explicit_values_override_variables():
    settings = Settings.from_env({"PRESSE_PAGE_SIZE": "20", "PRESSE_MAX_PAGE": "7"}, max_page=3)
    assert (settings.page_size, settings.max_page) == (20, 3)


def test_the_weights_are_not_read_from_the_environment_but_can_be_passed():
    assert "weights" not in env_setting_names()
    assert Settings.from_env({"PRESSE_WEIGHTS": "5"}).weights == Weights()
    title_five = replace(Weights(), title=5.0)
    assert Settings.from_env({}, weights=title_five).weights.title == 5.0
