"""Shared GraphQL pieces: scalars, enums, Relay identity, pagination, errors, loaders."""
