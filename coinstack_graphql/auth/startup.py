"""Whether `coinstack serve` may start on a given address."""

from __future__ import annotations


def check_serve_access(host: str, *, insecure: bool, loopback: bool) -> str | None:
    """A reason to refuse starting, or None. Tokens arrive with the access-control work."""
    if loopback or insecure:
        return None
    return (
        f"refusing to serve anonymously on {host}: bind to 127.0.0.1, or pass --insecure "
        "to allow anyone who can reach this address to read and write"
    )
