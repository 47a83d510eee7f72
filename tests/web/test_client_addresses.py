"""Which address is the client: forwarded headers count only from trusted proxies."""

from __future__ import annotations

import ipaddress

import pytest

from gardien.web.clients import ClientAddresses

PROXIES = ClientAddresses((ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("fd00::/8")))

# (peer, X-Forwarded-For values, Forwarded values, client)
CASES = [
    # No forwarding header, or a peer that is not a trusted proxy: the peer.
    ("192.0.2.1", [], [], "192.0.2.1"),
    ("192.0.2.1", ["198.51.100.1"], ["for=198.51.100.1"], "192.0.2.1"),
    ("testclient", ["198.51.100.1"], [], "testclient"),
    ("10.0.0.1", [], [], "10.0.0.1"),
    # The right-most address that is not a trusted proxy.
    ("10.0.0.1", ["198.51.100.1"], [], "198.51.100.1"),
    ("10.0.0.1", ["6.6.6.6, 198.51.100.1"], [], "198.51.100.1"),
    ("10.0.0.1", ["6.6.6.6, 198.51.100.1, 10.9.9.9"], [], "198.51.100.1"),
    ("10.0.0.1", ["6.6.6.6", "198.51.100.1"], [], "198.51.100.1"),  # two header lines
    ("10.0.0.1", ["10.2.2.2, 10.3.3.3"], [], "10.2.2.2"),  # every hop a proxy
    # Ports, brackets, IPv4-mapped addresses.
    ("10.0.0.1", ["198.51.100.1:5555"], [], "198.51.100.1"),
    ("10.0.0.1", ["[2001:db8::1]:443"], [], "2001:db8::1"),
    ("10.0.0.1", ["2001:db8::1"], [], "2001:db8::1"),
    ("::ffff:10.0.0.1", ["::ffff:198.51.100.1"], [], "198.51.100.1"),
    ("fd00::5", ["198.51.100.1"], [], "198.51.100.1"),
    # What is not an address ends the walk: the proxy that wrote it stands for the client.
    ("10.0.0.1", ["198.51.100.1, unknown"], [], "10.0.0.1"),
    ("10.0.0.1", ["198.51.100.1, unknown, 10.4.4.4"], [], "10.4.4.4"),
    ("10.0.0.1", [""], [], "10.0.0.1"),
    # Forwarded (RFC 7239): for= of each element, quoted or not.
    ("10.0.0.1", [], ["for=198.51.100.1;proto=https"], "198.51.100.1"),
    ("10.0.0.1", [], ['for=6.6.6.6, for="[2001:db8::7]:4711";by=10.0.0.1'], "2001:db8::7"),
    ("10.0.0.1", [], ['for="198.51.100.1";host="a,b"', "For=10.5.5.5"], "198.51.100.1"),
    ("10.0.0.1", [], ["for=_hidden"], "10.0.0.1"),
    ("10.0.0.1", [], ["proto=https"], "10.0.0.1"),
    # Both headers: the client when they agree, the proxy when they do not.
    ("10.0.0.1", ["198.51.100.1"], ["for=198.51.100.1"], "198.51.100.1"),
    ("10.0.0.1", ["198.51.100.1"], ["for=6.6.6.6"], "10.0.0.1"),
]


@pytest.mark.parametrize(("peer", "forwarded_for", "forwarded", "client"), CASES)
def test_client_address(
    peer: str, forwarded_for: list[str], forwarded: list[str], client: str
) -> None:
    assert PROXIES.resolve(peer, forwarded_for, forwarded) == client


def test_without_trusted_proxies_the_headers_are_never_read() -> None:
    assert ClientAddresses().resolve("10.0.0.1", ["198.51.100.1"], []) == "10.0.0.1"
