"""GraphQL face of the grading domain."""
