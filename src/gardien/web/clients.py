"""Who the client is: the connecting address, or the one trusted proxies forwarded.

``X-Forwarded-For`` and ``Forwarded`` (RFC 7239) are written by whoever sends
the request, so they are read only when the connecting peer is one of the
proxies of ``GARDIEN_TRUSTED_PROXIES`` (none by default). Each proxy appends
the address it received the request from, so the client is the right-most
address of the chain that is not itself a trusted proxy: everything to its
right was written by proxies gardien trusts, anything to its left by the
client. An entry that is not an address (``unknown``, an obfuscated name,
garbage) ends the walk: the trusted proxy that wrote it stands for the client.

A proxy writes one of the two headers and passes the other on as the client
sent it. When a request carries both and they name different clients, gardien
cannot tell which one its proxy wrote, so the proxy stands for the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

from fastapi import Request

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ClientAddresses:
    """Resolves a request's client address, trusting forwarded headers from ``proxies`` only."""

    def __init__(self, proxies: Sequence[Network] = ()) -> None:
        self.proxies = tuple(proxies)

    def of(self, request: Request) -> str:
        """The client address of ``request`` (the peer's text when it is not an IP address)."""
        peer = request.client.host if request.client else "unknown"
        if not self.proxies:
            return peer
        return self.resolve(
            peer, request.headers.getlist("x-forwarded-for"), request.headers.getlist("forwarded")
        )

    def resolve(self, peer: str, forwarded_for: Sequence[str], forwarded: Sequence[str]) -> str:
        """The client, given the peer and the values of each forwarding header received."""
        hop = _address(peer)
        if hop is None or not self._trusted(hop):
            return peer
        chains = []
        if forwarded_for:
            chains.append([_address(item) for value in forwarded_for for item in value.split(",")])
        if forwarded:
            chains.append([_forwarded_for(element) for element in _elements(forwarded)])
        clients = {self._walk(hop, chain) for chain in chains}
        return str(clients.pop() if len(clients) == 1 else hop)

    def _walk(self, hop: Address, chain: list[Address | None]) -> Address:
        for entry in reversed(chain):
            if entry is None:
                return hop
            if not self._trusted(entry):
                return entry
            hop = entry
        return hop

    def _trusted(self, address: Address) -> bool:
        return any(address in network for network in self.proxies)


def _address(text: str) -> Address | None:
    """An address as the headers write it: bare, quoted, ``v4:port``, ``[v6]`` or ``[v6]:port``."""
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:
        text = text.split(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _elements(values: Iterable[str]) -> list[str]:
    """The comma-separated elements of ``Forwarded`` headers, commas in quotes kept."""
    return [element for value in values for element in _split(value, ",")]


def _forwarded_for(element: str) -> Address | None:
    """The ``for=`` address of one ``Forwarded`` element, if it has one that is an address."""
    for pair in _split(element, ";"):
        name, _, value = pair.partition("=")
        if name.strip().lower() == "for":
            return _address(value.replace("\\", ""))
    return None


def _split(text: str, separator: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == separator and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts
