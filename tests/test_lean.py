"""What the daemon forgets once started (daemon/lean.py): a module nothing holds is freed and comes back
fresh on the next import; a module something still holds is put back as the same object. Each case runs in
a fresh interpreter, where nothing else (pytest, other tests) holds the modules."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.daemonkit import ROOT

PROBE = r"""
import json, sys, weakref
from breaker.daemon.lean import START_ONLY, forget_modules
import breaker.ipc, breaker.logs, breaker.store.storage
runtime = str(breaker.ipc.runtime_dir())  # the daemon's folders, computed with platformdirs
log = str(breaker.logs.log_path())
import platformdirs, importlib.resources, tempfile
first = weakref.ref(platformdirs)
held = tempfile  # something still holds tempfile: it must come back as the same module
del platformdirs
import importlib
forgotten = forget_modules()
out = {
    "forgotten": forgotten,
    "platformdirs_freed": first() is None,
    "loaded_after": sorted(n for n in sys.modules if n.split(".")[0] in ("platformdirs",) or n in START_ONLY),
    "resources_attr": hasattr(importlib, "resources"),
    "tempfile_same": sys.modules.get("tempfile") is held,
}
import platformdirs
out["again"] = str(platformdirs.user_runtime_dir("breaker", appauthor=False)) == runtime
out["fresh"] = first() is None and "platformdirs" in sys.modules
print(json.dumps(out))
"""


def test_start_only_modules_are_freed_and_a_held_one_is_put_back(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(tmp_path / "run"),
           "XDG_STATE_HOME": str(tmp_path / "state")}
    (tmp_path / "run").mkdir(mode=0o700)
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env=env)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert "platformdirs" in out["forgotten"] and "platformdirs.unix" in out["forgotten"], out
    assert "importlib.resources" in out["forgotten"], out
    assert out["platformdirs_freed"] is True  # freed, not just out of sys.modules
    assert "tempfile" not in out["forgotten"] and out["tempfile_same"] is True  # held: the same module again
    assert out["loaded_after"] == ["shutil", "tempfile"], out  # and what tempfile holds stays with it
    assert out["resources_attr"] is False  # importlib.resources is no attribute of importlib any more
    assert out["again"] is True and out["fresh"] is True  # a later import works and gives the same answer


DBUS_PROBE = r"""
import json, sys
from breaker.daemon.lean import import_dbus_fast, without_openssl
without_openssl()
lean = import_dbus_fast()
loaded = sorted(m for m in ("hashlib", "_md5", "_sha1", "_sha3", "_blake2") if m in sys.modules)
from dbus_fast import introspection
from dbus_fast.introspection import Node
xml = '<node><interface name="org.example.A"><method name="Ping"/></interface></node>'
parsed = Node.parse(xml)  # hashes the document with the stand-in's sha256 to key its cache
digest = introspection.hashlib.sha256(b"breaker").hexdigest()
import hashlib
print(json.dumps({"lean": lean, "loaded": loaded, "methods": [m.name for m in parsed.interfaces[0].methods],
                  "digest": digest, "real": hashlib.md5(b"breaker").hexdigest(), "same": hashlib.sha256 is
                  introspection.hashlib.sha256}))
"""


def test_dbus_fast_comes_without_hashlib_and_hashes_the_same() -> None:
    done = subprocess.run([sys.executable, "-c", DBUS_PROBE], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["lean"] is True and out["loaded"] == [], out  # none of hashlib's modules came with dbus-fast
    assert out["methods"] == ["Ping"]  # its introspection (and the cache keyed by the hash) works
    assert out["digest"] == "14dff4be6469a0c423ee09eeaa3c454553c2f8322162c649e1775fd97445d651"  # SHA-256
    assert out["real"] == "90b1eae09c89d32298407705052d84f3"  # a later import is the real hashlib (MD5)
    assert out["same"] is True  # without OpenSSL the real sha256 is the stand-in's function


ZONE_PROBE = r"""
import json, sys, zoneinfo
from breaker.daemon.lean import forget_modules, lazy_sysconfig
before = zoneinfo.TZPATH
swapped = lazy_sysconfig()
forgotten = forget_modules(("sysconfig", "_sysconfigdata_*"))
gone = "sysconfig" not in sys.modules and not any(m.startswith("_sysconfigdata_") for m in sys.modules)
berlin = zoneinfo.ZoneInfo("Europe/Berlin").key  # zones load without sysconfig
zoneinfo.reset_tzpath()  # the one use zoneinfo has for sysconfig: imports it again, same answer
print(json.dumps({"swapped": swapped, "forgotten": forgotten, "gone": gone, "berlin": berlin,
                  "same": zoneinfo.TZPATH == before, "back": "sysconfig" in sys.modules}))
"""


def test_zoneinfo_lets_go_of_sysconfig_and_can_still_read_its_zone_path() -> None:
    done = subprocess.run([sys.executable, "-c", ZONE_PROBE], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["swapped"] is True and out["gone"] is True, out
    assert "sysconfig" in out["forgotten"] and any(m.startswith("_sysconfigdata_") for m in out["forgotten"]), out
    assert out["berlin"] == "Europe/Berlin"
    assert out["same"] is True and out["back"] is True  # reset_tzpath() imported the real sysconfig again
