"""GraphQL face of the coins domain."""
