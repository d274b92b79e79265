"""User collections: custom, smart (a stored CoinFilter) and hierarchical."""
