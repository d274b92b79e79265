"""GraphQL face of the market domain."""
