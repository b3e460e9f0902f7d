"""The fetch client against hostile servers on 127.0.0.1: slow-loris and connections that never close.

Each request must come back (as an error, never an exception) within a bound set by the
policy's time limits, however the server dawdles. A thread join is the backstop, so a hang
fails the test instead of stalling the run.
"""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from govstats.fetch.client import Client, Policy
from govstats.fetch.safety import Scope

POLICY = Policy(interval=0.0, timeout=0.5, total_timeout=2.0, retries=0, backoff=0.01, allow_private=True)
BOUND = POLICY.total_timeout + 2 * POLICY.timeout + 1.0  # seconds: the client must have answered by then
DRIP = 0.2  # seconds between the bytes of a slow-loris server: each read succeeds, so the read timeout never fires


def _drip(conn: socket.socket, data: bytes) -> None:
    for b in data:
        conn.sendall(bytes([b]))
        time.sleep(DRIP)


def loris_status(conn: socket.socket) -> None:
    _drip(conn, b"HTTP/1.1 200 OK\r\n" * 1000)


def loris_headers(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    _drip(conn, b"X-Pad: " + b"a" * 60_000)


def endless_headers(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    for k in itertools.count():
        conn.sendall(b"X-%d: a\r\n" % k)


def no_length_never_closes(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n")
    _drip(conn, b"0" * 10_000)


def chunked_never_ends(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
    while True:
        conn.sendall(b"1\r\nx\r\n")
        time.sleep(DRIP)


def silent(conn: socket.socket) -> None:
    time.sleep(60)


def short_body_then_idle(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"x" * 10)
    time.sleep(60)


@pytest.fixture
def server() -> Iterator[Callable[[Callable[[socket.socket], None]], str]]:
    """serve(behaviour) -> URL of a 127.0.0.1 server that treats every connection that way."""
    socks: list[socket.socket] = []

    def serve(behaviour: Callable[[socket.socket], None]) -> str:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        socks.append(sock)

        def accept() -> None:
            while True:
                try:
                    conn, _ = sock.accept()
                except OSError:
                    return
                threading.Thread(target=_handle, args=(conn, behaviour), daemon=True).start()

        threading.Thread(target=accept, daemon=True).start()
        return f"http://127.0.0.1:{sock.getsockname()[1]}/report.pdf"

    yield serve
    for sock in socks:
        sock.close()


def _handle(conn: socket.socket, behaviour: Callable[[socket.socket], None]) -> None:
    with conn:
        try:
            conn.recv(65536)
            behaviour(conn)
        except OSError:
            pass  # the client hung up: what it should do


@pytest.mark.parametrize("behaviour", [loris_status, loris_headers, endless_headers, no_length_never_closes,
                                       chunked_never_ends, silent, short_body_then_idle])
def test_a_dawdling_server_cannot_hold_the_client(server, monkeypatch, behaviour):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    url = server(behaviour)
    scope = Scope()
    scope.add(url)
    client = Client(POLICY, scope)
    result = []
    start = time.monotonic()
    worker = threading.Thread(target=lambda: result.append(client.request(url, robots=False)), daemon=True)
    worker.start()
    worker.join(BOUND + 10)
    elapsed = time.monotonic() - start
    assert result, f"the request was still running after {elapsed:.0f} s"
    assert elapsed <= BOUND, f"answered only after {elapsed:.1f} s (bound {BOUND:g} s)"
    assert result[0].error and not result[0].body  # a failure, never a file
