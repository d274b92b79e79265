"""GraphQL face of the vocab domain."""
