"""GraphQL face of the enrichment domain."""
