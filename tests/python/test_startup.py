"""Start-up work is deferred to first use (issue 16): importing a generated module does not import `dataclasses`
(its struct dataclasses are made on first use, and are still frozen dataclasses then), and constructing an instance
does not start the epoch ticker thread (the first call with a timeout does). Each check runs in a fresh interpreter,
since the session's own modules have long been used. Timings are measured by bench/python/startup.py, not here."""

import json
import os
import subprocess
import sys
from typing import Any, Dict

import pytest
from conftest import ROOT, Generated

# Run in a fresh interpreter with the generated monocypher module importable as `monocypher`.
PROBE = """
import json, pickle, sys
import wasmtime
import monocypher
out = {"dataclasses_after_import": "dataclasses" in sys.modules}
rt = sys.modules["wasm_bind_runtime._runtime"]
m = monocypher.Monocypher()
out["ticker_after_construct"] = rt._wb_ticker is not None
out["digest"] = m.crypto_blake2b(64, b"abc").hex()
out["ticker_after_call"] = rt._wb_ticker is not None and rt._wb_ticker.is_alive()
out["dataclasses_after_call"] = "dataclasses" in sys.modules
# A method (here a global's property) that returns a struct, before anything named a struct class.
extras = m.crypto_argon2_no_extras
import dataclasses
out["global_is_dataclass"] = dataclasses.is_dataclass(extras) and type(extras) is monocypher.CryptoArgon2Extras
cls = monocypher.CryptoArgon2Config
out["is_dataclass"] = dataclasses.is_dataclass(cls) and cls.__module__ == "monocypher" and \\
    cls.__qualname__ == "CryptoArgon2Config"
cfg = cls(algorithm=monocypher.CRYPTO_ARGON2_ID, nb_blocks=8, nb_passes=1, nb_lanes=1)
try:
    cfg.nb_blocks = 9
    out["frozen"] = False
except dataclasses.FrozenInstanceError:
    out["frozen"] = True
out["pickle"] = pickle.loads(pickle.dumps(cfg)) == cfg
from monocypher import CryptoArgon2Inputs
out["from_import"] = CryptoArgon2Inputs is monocypher.CryptoArgon2Inputs and \\
    dataclasses.is_dataclass(CryptoArgon2Inputs)
ns = {}
exec("from monocypher import *", ns)
out["star"] = sorted(n for n in ("CryptoArgon2Config", "CryptoArgon2Inputs", "CryptoArgon2Extras") if n in ns)
out["fields"] = [f.name for f in dataclasses.fields(cls)]
try:
    monocypher.NoSuchName
    out["missing"] = "no error"
except AttributeError as e:
    out["missing"] = str(e)
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def probe(generated: Dict[str, Generated], tmp_path_factory: pytest.TempPathFactory) -> Any:
    """What PROBE saw in a fresh interpreter."""
    tmp_path = tmp_path_factory.mktemp("startup")
    mono = generated["monocypher"]
    for path in (mono.py, mono.wasm):  # importable under its own name, beside its wasm
        (tmp_path / path.name).write_bytes(path.read_bytes())
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "python"), str(tmp_path)]))
    proc = subprocess.run([sys.executable, "-c", PROBE], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_import_and_construct_defer_dataclasses_and_the_ticker(probe: Any) -> None:
    assert probe["dataclasses_after_import"] is False, "importing the module imported dataclasses"
    assert probe["ticker_after_construct"] is False, "constructing an instance started the ticker thread"
    assert probe["ticker_after_call"] is True, "a call with a timeout did not start the ticker"
    assert probe["dataclasses_after_call"] is False, "a call without structs made the struct dataclasses"
    assert probe["digest"] == __import__("hashlib").blake2b(b"abc").hexdigest()


def test_struct_classes_are_frozen_dataclasses_on_first_use(probe: Any) -> None:
    assert probe["global_is_dataclass"] is True, "a struct returned before the class was named"
    assert probe["is_dataclass"] is True
    assert probe["frozen"] is True
    assert probe["pickle"] is True
    assert probe["from_import"] is True
    assert probe["star"] == ["CryptoArgon2Config", "CryptoArgon2Extras", "CryptoArgon2Inputs"]
    assert probe["fields"] == ["algorithm", "nb_blocks", "nb_passes", "nb_lanes"]
    assert probe["missing"] == "module 'monocypher' has no attribute 'NoSuchName'"
