"""The root ``cordial-harness`` command.

Subcommands are imported only when used, so ``cordial-harness map`` does not
pay for Flask, gunicorn or Schemathesis, and each command lives in its own
module under ``cordial_harness/commands``.
"""

from __future__ import annotations

import importlib

import click

#: command name -> "module:attribute" of the click command
COMMANDS: dict[str, str] = {
    "map": "cordial_harness.commands.map:map_command",
    "serve": "cordial_harness.commands.serve:serve",
    "contracts": "cordial_harness.commands.contracts:contracts",
    "lint": "cordial_harness.commands.lint:lint",
    "diff": "cordial_harness.commands.diff:diff",
    "send": "cordial_harness.commands.send:send",
    "replay": "cordial_harness.commands.replay:replay",
    "demo": "cordial_harness.commands.demo:demo",
    "fuzz": "cordial_harness.commands.fuzz:fuzz",
}


class LazyGroup(click.Group):
    """A click group that imports a subcommand's module on first use."""

    def __init__(self, *args, lazy_commands: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self.lazy_commands.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module_name, attribute = target.split(":")
        return getattr(importlib.import_module(module_name), attribute)


@click.group(cls=LazyGroup, lazy_commands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cordial-harness")
def main() -> None:
    """Test a Cordial integration without Cordial.

    A reference Cordial (Actions) destination, a stateful mock of Cordial and
    the OpenAPI contracts that check both.
    """
