"""`python build.py ...` without starting a new Python and importing the generator each time.

Most of the suite's builds are small (the mini fixture: under a second), and a third to a
half of each was Python starting and importing MkDocs, Material, Jinja2, Babel and the
generator. `run` sends the command to a server process (one per pytest process, started
at the first build) that has imported all of that once; for each build the server forks
a child, which runs build.py as `python build.py ARGS` does (`runpy`, `__main__`,
sys.argv, exit code) in the given folder, its stdout and stderr going to files. The child
is a process of its own: the build's state, working folder, signals and exit do not
touch the test process, and every build starts from the same freshly imported state.

What differs from a new Python, and where `conftest.run_build(..., fresh_python=True)`
(a real `python build.py`) is used instead:

* the environment is the one the server started with: a call that changes it (`env=`)
  runs a real `python build.py`, since modules may read the environment when imported;
* the children share the server's hash seed (str hashes, hence set order): a test that
  compares the bytes of two builds passes `fresh_python=True`, so that each build gets
  its own seed, as two runs of `build.py` do;
* the imports themselves are not exercised: tests/buildonce.py and the tests that start
  `build.py` with subprocess (signals, progress on a terminal, the installed `brief`
  command ...) still start a new Python.

`TEST_FRESH_PYTHON=1` makes every build a real `python build.py`.
"""
from __future__ import annotations

import atexit
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUILD_PY = REPO / "build.py"
MINI = REPO / "tests" / "fixtures" / "mini"

_server: subprocess.Popen | None = None
_server_env: dict[str, str] | None = None
_server_added: dict[str, str] = {}  # the variables the server's imports set
_pending = b""  # what the server has written and _answer has not read yet


def enabled(env: dict[str, str]) -> bool:
    """Whether a build with this environment may run in a forked child."""
    if os.environ.get("TEST_FRESH_PYTHON") == "1":
        return False
    # The server starts with this process's environment. The generator's imports add a
    # few variables (publish.py: MkDocs 2's notice off); then this process has them too,
    # once it imports the generator. PYTEST_CURRENT_TEST names the running test: the
    # child gets this call's value.
    server_env = dict(os.environ) if _server_env is None else _server_env
    ignored = {*_server_added, "PYTEST_CURRENT_TEST"}
    return _without(env, ignored) == _without(server_env, ignored)


def _without(env: dict[str, str], keys) -> dict[str, str]:
    return {k: v for k, v in env.items() if k not in keys}


def run(args: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    """`python build.py *args` in cwd, as subprocess.run(..., capture_output=True,
    text=True, timeout=timeout) returns it, run in a child of the server."""
    server = _start()
    cmd = [sys.executable, str(BUILD_PY), *args]
    with tempfile.TemporaryDirectory(prefix="forkbuild-") as tmp:
        out, err = Path(tmp, "stdout"), Path(tmp, "stderr")
        request = {"args": list(args), "cwd": os.path.abspath(cwd), "stdout": str(out),
                   "stderr": str(err),
                   "sigint_ignored": signal.getsignal(signal.SIGINT) == signal.SIG_IGN,
                   "current_test": os.environ.get("PYTEST_CURRENT_TEST")}
        server.stdin.write(json.dumps(request).encode() + b"\n")
        server.stdin.flush()
        pid = _answer(server, None)["pid"]
        try:
            status = _answer(server, timeout)["status"]
        except TimeoutError:
            os.kill(pid, signal.SIGKILL)
            _answer(server, None)
            raise subprocess.TimeoutExpired(cmd, timeout, _text(out), _text(err)) from None
        return subprocess.CompletedProcess(cmd, os.waitstatus_to_exitcode(status),
                                           _text(out), _text(err))


def _text(path: Path) -> str:
    """A file's bytes decoded as subprocess' text mode does (locale encoding, universal
    newlines)."""
    if not path.exists():
        return ""
    import locale
    data = path.read_bytes().decode(locale.getpreferredencoding(False))
    return data.replace("\r\n", "\n").replace("\r", "\n")


def _answer(server: subprocess.Popen, timeout: float | None) -> dict:
    """The server's next line (its own buffer: select() cannot see Python's)."""
    global _pending
    while b"\n" not in _pending:
        if timeout is not None:
            ready, _, _ = select.select([server.stdout], [], [], timeout)
            if not ready:
                raise TimeoutError
        chunk = os.read(server.stdout.fileno(), 65536)
        if not chunk:
            raise RuntimeError(f"tests/forkbuild.py's server stopped (exit {server.wait()})")
        _pending += chunk
    line, _, _pending = _pending.partition(b"\n")
    return json.loads(line)


def _start() -> subprocess.Popen:
    global _server, _server_env, _server_added, _pending
    if _server is None or _server.poll() is not None:
        _server_env = dict(os.environ)
        _pending = b""
        _server = subprocess.Popen([sys.executable, __file__], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, bufsize=0)
        atexit.register(_stop, _server)
        _server_added = _answer(_server, 300)["ready"]
    return _server


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.stdin.close()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


# ---- the server -------------------------------------------------------------------------

def _serve() -> None:
    # As `python build.py` has it: the script's folder first on sys.path, not tests/.
    sys.path[0] = str(REPO)
    proto_in = os.fdopen(os.dup(0), "r")
    proto_out = os.fdopen(os.dup(1), "w")
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    before = dict(os.environ)
    _preload()
    added = {k: v for k, v in os.environ.items() if before.get(k) != v}
    import gc
    gc.collect()
    gc.freeze()  # the children's collections leave the imported objects (and their pages) alone
    proto_out.write(json.dumps({"ready": added}) + "\n")
    proto_out.flush()
    for line in proto_in:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            proto_in.close()
            proto_out.close()
            _child(request)  # does not return
        proto_out.write(json.dumps({"pid": pid}) + "\n")
        proto_out.flush()
        _, status = os.waitpid(pid, 0)
        proto_out.write(json.dumps({"status": status}) + "\n")
        proto_out.flush()


def _preload() -> None:
    """Import every module a build of the mini fixture imports: a child of this process
    builds a copy of it and names them; this process then imports them."""
    import importlib
    import shutil

    read, write = os.pipe()
    tmp = tempfile.mkdtemp(prefix="forkbuild-warm-")
    pid = os.fork()
    if pid == 0:
        os.close(read)
        code = 1
        try:
            root = Path(tmp, "brief")
            shutil.copytree(MINI, root, ignore=shutil.ignore_patterns("docs", "site"))
            sys.argv = [str(BUILD_PY), str(root)]
            os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
            try:
                _run_build_py()
            except SystemExit:
                pass
            with os.fdopen(write, "w") as out:
                out.write("\n".join(sorted(sys.modules)))
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read) as names:
        modules = names.read().split()
    os.waitpid(pid, 0)
    shutil.rmtree(tmp, ignore_errors=True)
    for name in modules:
        if name != "__main__" and name not in sys.modules:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - a module the child had by another route
                pass


def _run_build_py() -> None:
    import runpy
    runpy.run_path(str(BUILD_PY), run_name="__main__")


def _child(request: dict) -> None:
    """Run build.py as `python build.py ARGS` does, then exit with its code."""
    import atexit as _atexit
    import threading
    import traceback

    code = 1
    try:
        os.chdir(request["cwd"])
        os.environ.pop("PYTEST_CURRENT_TEST", None)
        if request["current_test"] is not None:
            os.environ["PYTEST_CURRENT_TEST"] = request["current_test"]
        for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
            os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), fd)
        signal.signal(signal.SIGINT, signal.SIG_IGN if request["sigint_ignored"]
                      else signal.default_int_handler)
        sys.argv = [str(BUILD_PY), *request["args"]]
        try:
            _run_build_py()
            code = 0
        except SystemExit as stop:  # as the interpreter turns sys.exit's argument into a code
            if stop.code is None:
                code = 0
            elif isinstance(stop.code, int):
                code = stop.code
            else:
                print(stop.code, file=sys.stderr)
                code = 1
        except BaseException:  # noqa: BLE001 - printed as the interpreter prints it
            traceback.print_exc()
            code = 1
        threading._shutdown()  # as at interpreter exit: wait for non-daemon threads
        _atexit._run_exitfuncs()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


if __name__ == "__main__":
    _serve()
