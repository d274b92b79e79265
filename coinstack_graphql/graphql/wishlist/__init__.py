"""GraphQL face of the wishlist domain."""
