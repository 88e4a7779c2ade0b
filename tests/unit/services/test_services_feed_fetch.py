"""Fetching a feed is bounded (size, time, redirects) and cannot be pointed
inside our network; one explicit switch allows a loopback test server under
the emulator only. A local server on 127.0.0.1 plays the calendar host."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from support.feed_server import FeedServer

from booking.services.feeds.fetch import FetchLimits, address_refusal, fetch_feed, loopback_allowed
from booking.services.feeds.errors import FeedError

BUSY = (Path(__file__).resolve().parents[2] / "fixtures" / "feeds" / "busy.ics").read_bytes()


@pytest.fixture(scope="module")
def server():
    with FeedServer() as running:
        yield running


def code_of(url: str, **kwargs) -> str:
    with pytest.raises(FeedError) as raised:
        fetch_feed(url, **kwargs)
    return raised.value.code


def test_a_loopback_feed_is_fetched_with_the_switch(server):
    assert fetch_feed(server.url("/feeds/busy.ics"), allow_loopback=True) == BUSY


def test_a_loopback_feed_is_refused_without_the_switch(server):
    assert code_of(server.url("/feeds/busy.ics"), allow_loopback=False) == "not_https"
    assert code_of(server.url("/feeds/busy.ics").replace("http:", "https:"), allow_loopback=False) == "blocked_address"


def test_http_is_refused_even_with_the_switch_unless_the_host_is_loopback():
    public = lambda host, port: ["93.184.216.34"]  # noqa: E731
    assert code_of("http://calendar.example.com/feed.ics", allow_loopback=True, resolver=public) == "not_https"
    assert code_of("ftp://calendar.example.com/feed.ics", allow_loopback=True) == "not_https"


def test_a_response_dripping_bytes_is_cut_off_at_the_total_deadline(server):
    limits = FetchLimits(read_timeout=5.0, deadline=1.5)
    began = time.monotonic()
    assert code_of(server.url("/slow"), allow_loopback=True, limits=limits) == "timeout"
    assert time.monotonic() - began < 3.0  # each byte came within the read timeout; the deadline stopped it


def test_headers_dripping_bytes_are_cut_off_at_the_total_deadline(server):
    limits = FetchLimits(read_timeout=5.0, deadline=1.5)
    began = time.monotonic()
    assert code_of(server.url("/slow-headers"), allow_loopback=True, limits=limits) == "timeout"
    assert time.monotonic() - began < 3.0


def test_a_read_waiting_longer_than_the_deadline_is_cut_off_at_the_deadline(server):
    limits = FetchLimits(read_timeout=10.0, deadline=1.0)
    began = time.monotonic()
    assert code_of(server.url("/stall"), allow_loopback=True, limits=limits) == "timeout"
    assert time.monotonic() - began < 2.5  # not the 4 s the server stalls, nor the 10 s read timeout


def test_a_10_mb_response_is_refused_while_streaming(server):
    assert code_of(server.url("/huge"), allow_loopback=True) == "too_large"


def test_a_declared_10_mb_response_is_refused_before_reading_it(server):
    assert code_of(server.url("/huge-declared"), allow_loopback=True) == "too_large"


def test_three_redirects_are_followed(server):
    assert fetch_feed(server.url("/redirect/3"), allow_loopback=True) == BUSY


def test_a_fourth_redirect_is_refused(server):
    assert code_of(server.url("/redirect/4"), allow_loopback=True) == "too_many_redirects"


def test_a_server_error_is_an_http_status_error(server):
    assert code_of(server.url("/status/500"), allow_loopback=True) == "http_status"
    assert code_of(server.url("/feeds/missing.ics"), allow_loopback=True) == "http_status"


def test_a_closed_port_is_unreachable():
    with FeedServer() as gone:
        url = gone.url("/feeds/busy.ics")
    assert code_of(url, allow_loopback=True) == "unreachable"


@pytest.mark.parametrize("address", [
    "10.0.0.1", "172.16.5.4", "192.168.1.1", "127.0.0.1", "169.254.169.254", "0.0.0.0", "224.0.0.1",
    "240.0.0.1", "100.64.0.1", "::1", "fe80::1", "fc00::1", "::", "ff02::1", "::ffff:127.0.0.1",
    "::ffff:169.254.169.254", "2002:a00:1::",
])
def test_private_loopback_link_local_and_other_non_public_addresses_are_refused(address):
    assert address_refusal(address) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "142.250.74.110", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address):
    assert address_refusal(address) is None


def test_the_switch_allows_loopback_and_nothing_else():
    assert address_refusal("127.0.0.1", allow_loopback=True) is None
    assert address_refusal("::1", allow_loopback=True) is None
    assert address_refusal("10.0.0.1", allow_loopback=True) == "private"
    assert address_refusal("169.254.169.254", allow_loopback=True) == "link-local"


def test_a_host_is_refused_when_any_of_its_addresses_is_private():
    both = lambda host, port: ["93.184.216.34", "10.0.0.7"]  # noqa: E731
    assert code_of("https://calendar.example.com/feed.ics", allow_loopback=False, resolver=both) == "blocked_address"


def test_the_connection_goes_to_the_address_that_was_checked(server):
    # "feeds.localtest" is in no DNS: the fetch can only succeed by connecting
    # to the address our resolver returned (and checked), on every hop.
    asked = []

    def resolver(host, port):
        asked.append(host)
        return ["127.0.0.1"]

    url = server.url("/redirect/1").replace("127.0.0.1", "feeds.localtest")
    assert fetch_feed(url, allow_loopback=True, resolver=resolver) == BUSY
    assert asked == ["feeds.localtest", "feeds.localtest"]


@pytest.mark.parametrize("location", [
    "https://metadata.example.com/computeMetadata/v1/",  # resolves to 169.254.169.254
    "http://10.0.0.1/feed.ics",
    "https://[fd00::1]/feed.ics",
])
def test_a_redirect_to_a_private_address_is_refused(server, location):
    def resolver(host, port):
        return {"metadata.example.com": ["169.254.169.254"]}.get(host, [host.strip("[]")])

    server.redirect("/to-inside", location)
    assert code_of(server.url("/to-inside"), allow_loopback=True, resolver=resolver) == "blocked_address"


def test_a_redirect_from_the_loopback_server_to_plain_http_elsewhere_is_refused(server):
    server.redirect("/to-http", "http://calendar.example.com/feed.ics")
    public = {"127.0.0.1": ["127.0.0.1"], "calendar.example.com": ["93.184.216.34"]}
    assert code_of(server.url("/to-http"), allow_loopback=True, resolver=lambda host, port: public[host]) == "not_https"


def test_a_redirect_to_something_that_is_not_a_url_is_an_error_of_the_feed(server):
    server.redirect("/to-nowhere", "https://[not-an-ip]/feed.ics")
    with pytest.raises(FeedError) as raised:
        fetch_feed(server.url("/to-nowhere"), allow_loopback=True)
    assert raised.value.code == "unreachable"
    assert "Invalid URL in location header" in raised.value.message


def test_an_invalid_url_is_refused():
    assert code_of("not a url", allow_loopback=False) in ("invalid_url", "not_https")
    assert code_of("https://", allow_loopback=False) == "invalid_url"
    assert code_of("https://example.com/" + "a" * 2100, allow_loopback=False) == "invalid_url"


@pytest.mark.parametrize(("env", "allowed"), [
    ({"FEEDS_ALLOW_LOOPBACK": "1", "FUNCTIONS_EMULATOR": "true"}, True),
    ({"FEEDS_ALLOW_LOOPBACK": "1", "FIRESTORE_EMULATOR_HOST": "127.0.0.1:8080"}, True),
    ({"FEEDS_ALLOW_LOOPBACK": "1"}, False),  # production: the variable alone does nothing
    ({"FUNCTIONS_EMULATOR": "true", "FIRESTORE_EMULATOR_HOST": "127.0.0.1:8080"}, False),
    ({"FEEDS_ALLOW_LOOPBACK": "true", "FUNCTIONS_EMULATOR": "true"}, False),
    ({"FEEDS_ALLOW_LOOPBACK": "1", "FUNCTIONS_EMULATOR": "false", "FIRESTORE_EMULATOR_HOST": ""}, False),
])
def test_loopback_is_allowed_only_when_asked_for_under_the_emulator(env, allowed):
    assert loopback_allowed(env) is allowed
