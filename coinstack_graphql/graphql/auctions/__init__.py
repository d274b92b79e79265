"""GraphQL face of the auctions domain."""
