"""Help texts and the README stay in step with the code."""

import re
from pathlib import Path

from click.testing import CliRunner

from search.cli import cli
from search.config import SETTING_HELP, env_setting_names

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_command_has_help_with_an_example():
    for name, command in cli.commands.items():
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert command.help and "Example: presse " in command.help, name


def test_readme_mentions_every_command():
    for name in cli.commands:
        assert f"`presse {name}" in README, name


def test_readme_lists_every_setting_with_its_variable():
    for name in env_setting_names():
        assert f"| {name} | `PRESSE_{name.upper()}` |" in README, name
    assert set(SETTING_HELP) == set(env_setting_names())


def test_readme_quick_start_shows_the_two_commands_first():
    quick_start = README.split("## Quick start", 1)[1]
    commands = re.findall(r"^make \w+", quick_start, flags=re.M)
    assert commands[:2] == ["make run", "make test"]
