"""A lean HTTP/1.1 keep-alive client for the replay hot path.

Measured on this project's machines, httpx's async stack costs 400 to 1,200
microseconds of CPU per request (pool bookkeeping, readiness polls on every
idle connection), which alone caps a replay below the 2,000 events/s target;
this client costs about 30.  It does only what replay needs: one connection
per worker (so at most N requests are in flight), requests written in one
piece from pre-encoded head bytes, Content-Length and chunked answers, TLS
with httpx's certificate store.  Answers of 400 or more are classified by
the reference's own :func:`reference.delivery.error_for_response`, so
replay and the reference agree on what is retryable.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass

import httpx

from reference.delivery import error_for_response
from reference.errors import DeliveryError, NonRetryableError, RetryableError

#: Answers larger than this are refused (a hostile server cannot exhaust memory).
MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_HEAD_BYTES = 64 * 1024
_NO_BODY_STATUSES = frozenset({204, 304})


class ProtocolError(Exception):
    """The server's answer is not HTTP/1.1 this client can read."""


class BadRequestTarget(ValueError):
    """A URL or header that cannot be written on the wire; the message says which."""


@dataclass(frozen=True, slots=True)
class Origin:
    """Where to connect: scheme, host and port."""

    scheme: str
    host: str
    port: int


@dataclass(frozen=True, slots=True)
class Answer:
    """Status, headers (names lower-case) and body of one answer."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


def _check_header(name: str, value: str) -> None:
    if any(ch in name for ch in "\r\n:") or not name or any(ch in value for ch in "\r\n\0"):
        raise BadRequestTarget(f"header {name!r} cannot be sent: it contains a line break or a colon")


class RequestTemplate:
    """The fixed part of every request to one URL: request line, Host and the constant headers.

    ``render`` adds the per-request headers and the body, producing one
    buffer written with a single call.
    """

    __slots__ = ("method", "url", "origin", "_head")

    def __init__(self, method: str, url: str, headers: dict[str, str]) -> None:
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise BadRequestTarget(f"{url} is not a valid URL: {exc}") from None
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise BadRequestTarget(f"{url} must be an http:// or https:// URL with a host")
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        self.method = method
        self.url = url
        self.origin = Origin(parsed.scheme, parsed.host, port)
        lines = [f"{method} ".encode("ascii") + parsed.raw_path + b" HTTP/1.1", b"Host: " + parsed.netloc]
        for name, value in headers.items():
            _check_header(name, value)
            lines.append(f"{name}: {value}".encode())
        self._head = b"\r\n".join(lines) + b"\r\n"

    def render(self, extra: bytes, body: bytes) -> bytes:
        """The full request; ``extra`` is pre-encoded ``Name: value\\r\\n`` lines."""
        if body or self.method not in ("GET", "HEAD"):
            return b"%s%sContent-Length: %d\r\n\r\n%s" % (self._head, extra, len(body), body)
        return self._head + extra + b"\r\n"


def header_line(name: str, value: str) -> bytes:
    """One extra header line for :meth:`RequestTemplate.render` (checked for line breaks)."""
    _check_header(name, value)
    return f"{name}: {value}\r\n".encode()


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    total = 0
    while True:
        size_line = await reader.readuntil(b"\r\n")
        try:
            size = int(size_line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise ProtocolError(f"bad chunk size line {size_line[:40]!r}") from None
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers
                pass
            return b"".join(parts)
        total += size
        if total > MAX_BODY_BYTES:
            raise ProtocolError(f"answer body larger than {MAX_BODY_BYTES} bytes")
        parts.append(await reader.readexactly(size))
        if await reader.readexactly(2) != b"\r\n":
            raise ProtocolError("chunk not followed by CRLF")


async def _read_to_end(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    total = 0
    while chunk := await reader.read(65536):
        total += len(chunk)
        if total > MAX_BODY_BYTES:
            raise ProtocolError(f"answer body larger than {MAX_BODY_BYTES} bytes")
        parts.append(chunk)
    return b"".join(parts)


async def _read_answer(reader: asyncio.StreamReader) -> tuple[Answer, bool]:
    """One answer, and whether the connection can carry another request."""
    while True:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.LimitOverrunError:
            raise ProtocolError(f"answer headers larger than {MAX_HEAD_BYTES} bytes") from None
        lines = head[:-4].split(b"\r\n")
        status_line = lines[0].split(b" ", 2)
        if len(status_line) < 2 or not status_line[0].startswith(b"HTTP/1."):
            raise ProtocolError(f"not an HTTP/1.x status line: {lines[0][:60]!r}")
        try:
            status = int(status_line[1])
        except ValueError:
            raise ProtocolError(f"bad status code in {lines[0][:60]!r}") from None
        if 100 <= status < 200:
            continue  # an interim answer; the real one follows
        break
    headers: list[tuple[str, str]] = []
    length: int | None = None
    chunked = False
    keep_alive = status_line[0] == b"HTTP/1.1"
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if not sep:
            raise ProtocolError(f"bad header line {line[:60]!r}")
        key = name.strip().lower().decode("latin-1")
        text = value.strip().decode("latin-1")
        headers.append((key, text))
        if key == "content-length":
            try:
                length = int(text)
            except ValueError:
                raise ProtocolError(f"bad Content-Length {text[:40]!r}") from None
        elif key == "transfer-encoding":
            chunked = "chunked" in text.lower()
        elif key == "connection":
            tokens = text.lower()
            if "close" in tokens:
                keep_alive = False
            elif "keep-alive" in tokens:
                keep_alive = True
    if status in _NO_BODY_STATUSES:
        body = b""
    elif chunked:
        body = await _read_chunked(reader)
    elif length is not None:
        if not 0 <= length <= MAX_BODY_BYTES:
            raise ProtocolError(f"answer body of {length} bytes refused")
        body = await reader.readexactly(length)
    else:
        body = await _read_to_end(reader)
        keep_alive = False
    return Answer(status, headers, body), keep_alive


class WireSession:
    """One worker's connections (one per origin), reused while the server keeps them open."""

    def __init__(self, timeout: float, ssl_context: ssl.SSLContext | None = None) -> None:
        self.timeout = timeout
        self._ssl_context = ssl_context
        self._streams: dict[Origin, tuple[asyncio.StreamReader, asyncio.StreamWriter]] = {}

    def _tls(self) -> ssl.SSLContext:
        if self._ssl_context is None:
            self._ssl_context = httpx.create_ssl_context()
        return self._ssl_context

    async def _connect(self, origin: Origin) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        streams = self._streams.get(origin)
        if streams is not None and not streams[0].at_eof():
            return streams
        if streams is not None:
            self._drop(origin)
        tls = self._tls() if origin.scheme == "https" else None
        streams = await asyncio.open_connection(origin.host, origin.port, ssl=tls, limit=MAX_HEAD_BYTES)
        self._streams[origin] = streams
        return streams

    def _drop(self, origin: Origin) -> None:
        streams = self._streams.pop(origin, None)
        if streams is not None:
            streams[1].close()

    async def exchange(self, template: RequestTemplate, data: bytes) -> Answer:
        """Send one rendered request and read its answer; raises OSError, ProtocolError or TimeoutError."""
        origin = template.origin
        try:
            async with asyncio.timeout(self.timeout):
                reader, writer = await self._connect(origin)
                writer.write(data)
                answer, keep_alive = await _read_answer(reader)
        except BaseException:
            self._drop(origin)
            raise
        if not keep_alive:
            self._drop(origin)
        return answer

    async def send(
        self, template: RequestTemplate, data: bytes
    ) -> tuple[Answer | None, DeliveryError | None]:
        """One attempt: the answer, or the typed error production reports (None when below 400)."""
        where = f"{template.method} {template.url}"
        try:
            answer = await self.exchange(template, data)
        except TimeoutError:
            return None, RetryableError(f"{where} timed out after {self.timeout:g} s")
        except ssl.SSLCertVerificationError as exc:
            return None, NonRetryableError(f"{where} failed: {exc.verify_message}")
        except (OSError, EOFError, asyncio.LimitOverrunError, ProtocolError) as exc:
            reason = str(exc) or type(exc).__name__
            if isinstance(exc, asyncio.IncompleteReadError):
                reason = "the server closed the connection before answering"
            return None, RetryableError(f"{where} failed: {reason}")
        if answer.status < 400:
            return answer, None
        return answer, classify(template, answer)

    def close(self) -> None:
        for origin in list(self._streams):
            self._drop(origin)


def classify(template: RequestTemplate, answer: Answer) -> DeliveryError | None:
    """The reference's verdict on an answer (InvalidCredentials, Retryable with Retry-After, ...)."""
    response = httpx.Response(
        answer.status,
        headers=answer.headers,
        content=answer.body,
        request=httpx.Request(template.method, template.url),
    )
    return error_for_response(response)
