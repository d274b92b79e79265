"""GraphQL face of the references domain."""
