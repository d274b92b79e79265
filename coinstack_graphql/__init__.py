"""CoinStack GraphQL: the CoinStack V3 data model of ancient coins as one typed graph."""

__version__ = "0.1.0"
