"""A minimal HTTP/1.1 keep-alive client on asyncio streams (stdlib only), for the open-loop load
generator of ``bench/submit_load.py``. It speaks just what the bench needs: GET and urlencoded
POST, Content-Length or chunked bodies, cookies handed in by the caller."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

IDLE_SECONDS = 1.5  # gunicorn closes keep-alive connections idle for 2 s (its default)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    cookies: dict[str, str]
    body: bytes

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Closed(Exception):
    """The server closed the connection before answering (a stale keep-alive connection)."""


@dataclass
class Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    used_at: float = field(default_factory=time.monotonic)
    alive: bool = True

    def close(self) -> None:
        self.alive = False
        with contextlib.suppress(Exception):  # closing a broken socket
            self.writer.close()


async def _read_response(conn: Connection) -> Response:
    try:
        head = await conn.reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError) as error:
        raise Closed from error
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers: dict[str, str] = {}
    cookies: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip()
        if name == "set-cookie":
            pair = value.split(";", 1)[0]
            k, _, v = pair.partition("=")
            cookies[k.strip()] = v.strip()
        headers[name] = value
    if headers.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int((await conn.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await conn.reader.readuntil(b"\r\n")
                break
            chunks.append(await conn.reader.readexactly(size))
            await conn.reader.readexactly(2)
        body = b"".join(chunks)
    elif "content-length" in headers:
        body = await conn.reader.readexactly(int(headers["content-length"]))
    else:
        body = await conn.reader.read()
        conn.alive = False
    if headers.get("connection", "").lower() == "close":
        conn.alive = False
    return Response(status, headers, cookies, body)


class Pool:
    """Keep-alive connections to one server: idle ones are reused (most recent first), new
    ones opened as needed up to ``limit``; the wait for a free connection counts in latency."""

    def __init__(self, host: str, port: int, limit: int = 512) -> None:
        self.host, self.port, self.limit = host, port, limit
        self.idle: list[Connection] = []
        self.open = 0
        self.opened_total = 0
        self._free = asyncio.Condition()

    async def _connect(self) -> Connection:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        self.opened_total += 1
        return Connection(reader, writer)

    async def acquire(self) -> Connection:
        async with self._free:
            while True:
                now = time.monotonic()
                while self.idle:
                    conn = self.idle.pop()
                    if conn.alive and now - conn.used_at < IDLE_SECONDS:
                        return conn
                    conn.close()
                    self.open -= 1
                if self.open < self.limit:
                    self.open += 1
                    break
                await self._free.wait()
        try:
            return await self._connect()
        except BaseException:
            async with self._free:
                self.open -= 1
                self._free.notify()
            raise

    async def release(self, conn: Connection) -> None:
        async with self._free:
            if conn.alive:
                conn.used_at = time.monotonic()
                self.idle.append(conn)
            else:
                conn.close()
                self.open -= 1
            self._free.notify()

    async def request(
        self,
        method: str,
        path: str,
        *,
        form: dict[str, str] | list[tuple[str, str]] | None = None,
        cookies: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        body = urlencode(form).encode() if form is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
        for name, value in (headers or {}).items():
            lines.append(f"{name}: {value}")
        if method == "POST":
            lines.append("Content-Type: application/x-www-form-urlencoded")
            lines.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        for attempt in range(3):
            conn = await self.acquire()
            fresh = conn.used_at > time.monotonic() - 0.001 and attempt > 0
            try:
                conn.writer.write(raw)
                await conn.writer.drain()
                response = await _read_response(conn)
            except (Closed, ConnectionError) as error:
                # A keep-alive connection the server had just closed: nothing was processed,
                # send again on another (the forms' one-time key makes a repeat harmless).
                conn.close()
                await self.release(conn)
                if fresh or attempt == 2:
                    raise Closed(str(error)) from error
                continue
            except BaseException:
                conn.close()
                await self.release(conn)
                raise
            await self.release(conn)
            return response
        raise Closed("no connection")  # pragma: no cover

    async def close(self) -> None:
        for conn in self.idle:
            conn.close()
        self.idle.clear()
