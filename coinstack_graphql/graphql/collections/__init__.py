"""GraphQL face of the collections domain."""
