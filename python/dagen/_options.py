"""Build keywords -> the command line's option texts (the table is dagen._core.build_options()).

`pipeline=3` is "--pipeline 3", `clock_period=1.5` "--clock-period 1.5", `ternary=True` a given
--ternary (False or None: not given).  The C++ interpreter behind both checks the values and
combinations, so a bad one raises the CLI's message as dagen.OptionError."""

from __future__ import annotations

import numbers

from . import _core

# The CLI's run options and what the Python API has instead.
_INSTEAD = {
    "output": "Design.write(directory)",
    "force": "Design.write(directory, force=True)",
    "verify": "Design.compile() and Sim.predict()",
    "vectors": "Design.compile() and Sim.predict()",
}


def build_options() -> list[dict]:
    """The keywords of Model.build(): name (as the CLI spells it), help, flag, default."""
    return [o for o in _core.build_options() if o["shapes_design"]]


def _text(name: str, value) -> str:
    if isinstance(value, bool):
        raise _core.OptionError(f"--{name} takes a value, not {value!r}")
    if isinstance(value, str):
        return value
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return repr(float(value))
    raise _core.OptionError(f"--{name}: {value!r} is not a number or a string")


def given_options(keywords: dict) -> dict[str, str]:
    """The options given, name -> text, as the CLI hands them to flow_options_from()."""
    table = {o["name"]: o for o in _core.build_options()}
    given = {}
    for keyword, value in keywords.items():
        name = keyword.replace("_", "-")
        option = table.get(name)
        if option is None:
            raise _core.OptionError(
                f"unknown keyword '{keyword}' (dagen.build_options() lists the options)"
            )
        if not option["shapes_design"]:
            raise _core.OptionError(
                f"'{keyword}' is not a build keyword: the CLI's {'-o/--' if name == 'output' else '--'}"
                f"{name} is {_INSTEAD[name]} here"
            )
        if option["flag"]:
            if value is None or value is False:
                continue
            if value is not True:
                raise _core.OptionError(f"--{name} is a flag: pass True or False, not {value!r}")
            given[name] = ""
        elif value is not None:
            given[name] = _text(name, value)
    return given
