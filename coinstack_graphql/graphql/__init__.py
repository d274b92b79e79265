"""The GraphQL face of CoinStack: thin types over the domain services."""
