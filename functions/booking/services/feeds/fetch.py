"""Fetch an iCalendar feed from a URL that a provider typed in.

The URL is untrusted input that makes our server send a request (SSRF), so:

- only ``https``; ``http`` only to a loopback test server, and loopback at
  all only with the explicit switch (``loopback_allowed``) under the emulator;
- the host's addresses are checked where the socket is opened, inside the
  HTTP client's network backend: every address the name resolves to must be
  public (not private, loopback, link-local, reserved, multicast or
  unspecified, also when wrapped in IPv6), and the connection goes to one of
  the addresses just checked. The client never resolves the name again, so a
  DNS answer that changes between the check and the connect (rebinding)
  cannot slip in; TLS still verifies the certificate against the name;
- redirects are followed by hand (at most 3), each hop checked like the first;
- the body is read as a stream and dropped past ``max_bytes``; every socket
  read and write waits at most until one total deadline, so a server that
  drips a byte a second (in the headers or the body) is cut off in time.
  Only the name lookup itself is bounded by the system resolver instead.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

from .errors import FeedError

__all__ = ["FeedError", "FetchLimits", "address_refusal", "fetch_feed", "loopback_allowed"]

MAX_URL = 2048
_REDIRECTS = {301, 302, 303, 307, 308}

Resolver = Callable[[str, int], list[str]]


@dataclass(frozen=True)
class FetchLimits:
    max_bytes: int = 5 * 1024 * 1024  # a busy personal calendar over years is well under 1 MB
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    deadline: float = 20.0  # seconds for the whole fetch, redirects included
    max_redirects: int = 3


def loopback_allowed(env: Mapping[str, str]) -> bool:
    """The one switch that lets a feed point at a loopback test server: it
    must be asked for explicitly AND the process must run in the emulator,
    so a production deployment with the variable set still refuses."""
    in_emulator = env.get("FUNCTIONS_EMULATOR") == "true" or bool(env.get("FIRESTORE_EMULATOR_HOST"))
    return env.get("FEEDS_ALLOW_LOOPBACK") == "1" and in_emulator


def address_refusal(address: str, *, allow_loopback: bool = False) -> str | None:
    """Why a feed may not connect to ``address`` (an IP literal), or None."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address wrapped in IPv6 reaches that IPv4 host.
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            refusal = address_refusal(str(embedded), allow_loopback=allow_loopback)
            if refusal is not None:
                return refusal
    if ip.is_loopback:
        return None if allow_loopback else "loopback"
    for kind in ("unspecified", "link_local", "multicast", "private", "reserved"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    if not ip.is_global:  # shared address space (100.64/10) and the like
        return "not global"
    return None


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FeedError("unreachable", f"cannot resolve {host}: {error}") from error
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class _Deadline:
    def __init__(self, seconds: float, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._at = clock() + seconds

    def bound(self, timeout: float | None) -> float:
        left = self._at - self._clock()
        if left <= 0:
            raise httpcore.ReadTimeout("the feed took longer than its total deadline")
        return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    """A socket stream whose every wait ends by the fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._deadline.bound(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._deadline.bound(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, self._deadline.bound(timeout)),
                       self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _CheckedBackend(httpcore.SyncBackend):
    """Resolves the host itself, refuses it unless every address passes, and
    connects to a checked address: the check and the connect see one answer."""

    def __init__(self, resolver: Resolver, deadline: _Deadline, *, allow_loopback: bool,
                 loopback_only: bool) -> None:
        self._resolver = resolver
        self._deadline = deadline
        self._allow_loopback = allow_loopback
        self._loopback_only = loopback_only

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        addresses = self._resolver(host, port)
        if not addresses:
            raise FeedError("unreachable", f"{host} has no address")
        for address in addresses:
            refusal = address_refusal(address, allow_loopback=self._allow_loopback)
            if refusal is not None:
                raise FeedError("blocked_address", f"{host} resolves to a {refusal} address ({address})")
            if self._loopback_only and not ipaddress.ip_address(address.split("%", 1)[0]).is_loopback:
                raise FeedError("not_https", f"http is allowed only to a loopback test server, not {host}")
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                stream = super().connect_tcp(address, port, self._deadline.bound(timeout),
                                             local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
                continue
            return _Stream(stream, self._deadline)
        assert failure is not None
        raise failure


def _checked_url(raw: str, *, allow_loopback: bool) -> httpx.URL:
    if len(raw) > MAX_URL:
        raise FeedError("invalid_url", f"the URL is longer than {MAX_URL} characters")
    try:
        url = httpx.URL(raw)
    except (httpx.InvalidURL, TypeError) as error:
        raise FeedError("invalid_url", f"not a URL: {error}") from error
    if not url.host:
        raise FeedError("invalid_url", "the URL has no host")
    if url.scheme == "https" or (url.scheme == "http" and allow_loopback):
        return url  # http: the backend still refuses anything but a loopback address
    raise FeedError("not_https", f"only https feed URLs are fetched, not {url.scheme or 'a relative URL'}")


def _client(url: httpx.URL, limits: FetchLimits, deadline: _Deadline, resolver: Resolver,
            allow_loopback: bool) -> httpx.Client:
    transport = httpx.HTTPTransport(retries=0, trust_env=False)
    # The stock pool with our backend: httpx 0.28 (pinned) has no public
    # parameter for the network backend; everything else stays httpx's own.
    transport._pool = httpcore.ConnectionPool(  # noqa: SLF001
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=1,
        retries=0,
        network_backend=_CheckedBackend(resolver, deadline, allow_loopback=allow_loopback,
                                        loopback_only=url.scheme == "http"),
    )
    timeout = httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout)
    # trust_env=False: no proxy from the environment, which would connect
    # for us and bypass the address check.
    return httpx.Client(transport=transport, timeout=timeout, follow_redirects=False, trust_env=False)


def _read_body(response: httpx.Response, max_bytes: int) -> bytes:
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        # We ask for identity; a compressed body could expand past any bound
        # within one chunk, so it is refused rather than decoded.
        raise FeedError("unsupported_encoding", f"the server sent a {encoding} body")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FeedError("too_large", f"the feed is larger than {max_bytes} bytes")
    body = bytearray()
    for chunk in response.iter_raw():
        body += chunk
        if len(body) > max_bytes:
            raise FeedError("too_large", f"the feed is larger than {max_bytes} bytes")
    return bytes(body)


def fetch_feed(url: str, *, allow_loopback: bool, limits: FetchLimits = FetchLimits(),
               resolver: Resolver = resolve, clock: Callable[[], float] = time.monotonic) -> bytes:
    """The body of the feed at ``url``, or FeedError (never another exception
    for a network or server problem)."""
    deadline = _Deadline(limits.deadline, clock)
    current = _checked_url(url, allow_loopback=allow_loopback)
    for _hop in range(limits.max_redirects + 1):
        try:
            with _client(current, limits, deadline, resolver, allow_loopback) as client, client.stream(
                "GET", current, headers={"Accept": "text/calendar, */*;q=0.5", "Accept-Encoding": "identity"}
            ) as response:
                if response.status_code in _REDIRECTS:
                    location = response.headers.get("location")
                    if not location:
                        raise FeedError("http_status", f"HTTP {response.status_code} without a Location")
                    # httpx has parsed the Location already (RemoteProtocolError when it is no URL)
                    current = _checked_url(str(current.join(location)), allow_loopback=allow_loopback)
                    continue
                if response.status_code != 200:
                    raise FeedError("http_status", f"the server answered HTTP {response.status_code}")
                return _read_body(response, limits.max_bytes)
        except httpx.TimeoutException as error:
            raise FeedError("timeout", f"the feed did not arrive in time ({error})") from error
        except httpx.HTTPError as error:  # connect, TLS, protocol errors: nothing more to learn
            raise FeedError("unreachable", f"could not fetch the feed: {error}") from error
    raise FeedError("too_many_redirects", f"more than {limits.max_redirects} redirects")
