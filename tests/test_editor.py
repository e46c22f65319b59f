"""The editor experience: yaml-language-server, what VS Code's YAML extension and other
editors run, opens a brief's YAML file, follows its `# yaml-language-server: $schema=`
line to the committed schema, and gives errors, completion and hover from it.

The server (pinned in package.json, installed by `bash scripts/setup.sh test`) is
driven over the Language Server Protocol on stdin/stdout, as an editor does. The file
opened is the mini fixture's own events file (so its relative schema line is what is
resolved), with an edited text that is never saved.
"""
from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from pathlib import Path

import pytest

from brief import fields as F
from conftest import MINI, REPO

SERVER = REPO / "node_modules" / ".bin" / "yaml-language-server"
EVENTS = MINI / "sources" / "events" / "events.yml"
SETTINGS = {"validate": True, "completion": True, "hover": True,
            "schemaStore": {"enable": False}}  # offline: only the file's own schema line


class LanguageServer:
    def __init__(self, root: Path):
        assert SERVER.exists(), "run `bash scripts/setup.sh test` to install yaml-language-server"
        self.proc = subprocess.Popen([str(SERVER), "--stdio"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.messages: queue.Queue = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(),
                                    "capabilities": {"workspace": {"configuration": True}}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": SETTINGS}})

    def _send(self, msg: dict) -> None:
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.proc.stdin.flush()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                if not line.strip():
                    break
                key, _, value = line.decode().partition(":")
                if key.lower() == "content-length":
                    length = int(value)
            msg = json.loads(out.read(length))
            if "method" in msg and "id" in msg:  # a request from the server
                result = ([SETTINGS for _ in msg["params"]["items"]]
                          if msg["method"] == "workspace/configuration" else None)
                self._send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
            else:
                self.messages.put(msg)

    def notify(self, method: str, params: dict) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: dict):
        self.next_id += 1
        self._send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self.next_id).get("result")

    def wait(self, match, timeout: float = 30) -> dict:
        end = time.monotonic() + timeout
        kept = []
        try:
            while True:
                msg = self.messages.get(timeout=max(end - time.monotonic(), 0.01))
                if match(msg):
                    return msg
                kept.append(msg)
        except queue.Empty:
            raise AssertionError(f"no answer from yaml-language-server in {timeout} s") from None
        finally:
            for m in kept:
                self.messages.put(m)

    def open(self, path: Path, text: str) -> list[dict]:
        """Open a document; return the first non-empty diagnostics published for it."""
        uri = path.as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == uri and m["params"]["diagnostics"]
                         )["params"]["diagnostics"]

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)


@pytest.fixture
def server():
    ls = LanguageServer(REPO)
    yield ls
    ls.close()


def test_the_editor_reports_errors_from_the_committed_schema(server):
    base = EVENTS.read_text("utf-8")
    assert base.startswith("# yaml-language-server: $schema=")
    bad = ("- id: Bad_Id\n"
           "  date: March 2024\n"
           "  tittle: Harbour agreement signed\n"
           '  summary: "TODO: what happened"\n'
           "  citations: []\n")
    first = base.count("\n")  # 0-based line of the bad entry
    diagnostics = server.open(EVENTS, base + bad)
    found = {(d["range"]["start"]["line"] - first, d["message"]) for d in diagnostics}
    assert (0, "Missing property \"title\".") in found
    assert (0, "expected an id: lower-case letters, digits and single hyphens") in found
    assert (1, "expected a date: YYYY, YYYY-MM or YYYY-MM-DD, or an EDTF form (2025-06?, "
               "2025-06/2025-09, [..2025-06])") in found
    assert (2, "Property tittle is not allowed.") in found
    assert (3, f"write the text: it must not be empty or still a {F.PLACEHOLDER} placeholder"
            ) in found
    assert (4, "Array has too few items. Expected 1 or more.") in found
    assert all(line >= 0 for line, _ in found), "the fixture itself has no errors"


def test_the_editor_completes_field_names_and_shows_their_descriptions(server):
    # A new entry, with the first letter of its next field typed: completion offers every
    # field of an event. (On a line with nothing typed yet, yaml-language-server 2.0.0
    # leaves out the fields that the file's other entries already use.)
    text = EVENTS.read_text("utf-8") + "- id: new-event\n  t\n"
    server.open(EVENTS, text)  # (it has errors: the new entry lacks its required fields)
    line = text.count("\n") - 1
    result = server.request("textDocument/completion", {
        "textDocument": {"uri": EVENTS.as_uri()}, "position": {"line": line, "character": 3}})
    labels = {item["label"] for item in (result["items"] if isinstance(result, dict) else result)}
    assert {f.name for f in F.EVENT.fields if f.name != "id"} <= labels
    title_line = next(i for i, t in enumerate(text.split("\n")) if t.startswith("  title:"))
    hover = server.request("textDocument/hover", {
        "textDocument": {"uri": EVENTS.as_uri()}, "position": {"line": title_line, "character": 4}})
    assert F.EVENT.field("title").description in hover["contents"]["value"]
    assert "events.schema.json" in hover["contents"]["value"]
