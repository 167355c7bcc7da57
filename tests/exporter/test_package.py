"""The package surface of the exporter (numpy only): `import dagen.keras` without any framework,
the ImportError naming the extra, the dagen-export command's errors, the console-script entry,
and the reference vector writer against the shipped tests/models/v2 vectors.

The package is found through the environment (ctest sets PYTHONPATH=<repo>/python, or it is
installed); nothing here edits sys.path."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

import dagen.keras
from dagen.keras import ExportError, cli, vectors

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
V2_DIR = os.path.join(REPO, "tests", "models", "v2")
FRAMEWORK_MODULES = ("keras", "tensorflow", "jax", "hgq", "qkeras")

# Run Python with the frameworks made unimportable (a None entry in sys.modules makes `import`
# raise ImportError), so the missing-framework paths are exercised whatever is installed.
NO_FRAMEWORKS = "import sys\nfor m in %r: sys.modules[m] = None\n" % (FRAMEWORK_MODULES,)


def run_py(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ.copy())


def test_import_needs_no_framework():
    p = run_py("import sys\nimport dagen.keras, dagen.keras.cli, dagen.keras.refsim, dagen.keras.hgq2_front, "
               "dagen.keras.qkeras_front\n"
               "print(sorted(m for m in %r if m in sys.modules))" % (FRAMEWORK_MODULES,))
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "[]"


@pytest.mark.parametrize("framework", ["hgq2", "qkeras"])
def test_missing_framework_names_the_extra(framework):
    p = run_py(NO_FRAMEWORKS + "import dagen.keras\n"
               f"try:\n    dagen.keras.to_model_json('m.keras', framework={framework!r})\n"
               "except ImportError as e:\n    print(e)\nelse:\n    print('no error')")
    assert p.returncode == 0, p.stderr
    msg = p.stdout.strip()
    assert f'pip install "dagen[{framework}]"' in msg and msg.startswith(f"the {framework} front end"), msg


@pytest.mark.parametrize("framework", ["hgq2", "qkeras"])
def test_cli_missing_framework_one_line(framework, tmp_path):
    out = tmp_path / "m.json"
    p = run_py(NO_FRAMEWORKS + "from dagen.keras.cli import main\n"
               f"sys.exit(main(['m.keras', '-o', {str(out)!r}, '--framework', {framework!r}]))")
    assert p.returncode == 1
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dagen-export: error: ") and f"dagen[{framework}]" in lines[0]
    assert not out.exists()


def test_python_m_dagen_keras_is_the_cli(tmp_path):
    p = subprocess.run([sys.executable, "-m", "dagen.keras", "--help"], capture_output=True, text=True)
    assert p.returncode == 0 and p.stdout.startswith("usage: dagen-export ")
    for opt in ("--output", "--name", "--framework", "--input-type", "--check", "--seed", "--da-gen", "--quiet"):
        assert opt in p.stdout
    p = subprocess.run([sys.executable, "-m", "dagen.keras", "m.keras", "-o", str(tmp_path / "x.json"),
                        "--input-type", "1,3"], capture_output=True, text=True)
    assert p.returncode == 2 and "expected SIGNED,INT_BITS,FRAC_BITS" in p.stderr


def test_bad_options_raise():
    with pytest.raises(ValueError, match="framework: expected auto, hgq2 or qkeras"):
        dagen.keras.to_model_json("m.keras", framework="pytorch")


def test_input_type_forms():
    from dagen.keras._export import _input_type

    want = {"signed": True, "int_bits": 3, "frac_bits": 4}
    assert _input_type("1,3,4") == want and _input_type((1, 3, 4)) == want and _input_type(want) is want
    assert _input_type("0,2,-1") == {"signed": False, "int_bits": 2, "frac_bits": -1}
    with pytest.raises(ValueError, match="integer bit counts"):
        _input_type("1,x,4")
    with pytest.raises(ValueError, match="expected a type dict"):
        _input_type(3)


def test_console_script_entry_point():
    tomllib = pytest.importorskip("tomllib")
    with open(os.path.join(REPO, "pyproject.toml"), "rb") as f:
        proj = tomllib.load(f)["project"]
    mod, func = proj["scripts"]["dagen-export"].split(":")
    assert mod == "dagen.keras.cli" and getattr(cli, func) is cli.main
    extras = proj["optional-dependencies"]
    assert {"hgq2", "qkeras", "test"} <= set(extras)
    for reqs in extras.values():  # ranges, not pins
        assert reqs and all("==" not in r for r in reqs)


def test_export_error_is_the_package_error():
    from dagen.keras.fxp import ExportError as E

    assert ExportError is E and issubclass(ExportError, Exception)


V2_MODELS = sorted(f[:-len(".vectors.json")] for f in os.listdir(V2_DIR) if f.endswith(".vectors.json"))


@pytest.mark.parametrize("name", V2_MODELS)
def test_write_vectors_reproduces_shipped(name, tmp_path):
    """dagen.keras.vectors writes the shipped NAME.vectors.json byte for byte from NAME.json."""
    out = tmp_path / f"{name}.vectors.json"
    vectors.write_vectors(os.path.join(V2_DIR, f"{name}.json"), str(out))
    with open(os.path.join(V2_DIR, f"{name}.vectors.json")) as f:
        assert out.read_text() == f.read()


def test_exact_number_refuses_inexact():
    from fractions import Fraction

    assert vectors.exact_number(Fraction(3, 4)) == 0.75 and vectors.exact_number(Fraction(6, 2)) == 3
    with pytest.raises(ValueError, match="not exactly a double"):
        vectors.exact_number(Fraction(1, 3))
