"""Auction records, price history, audits, field history and imports."""
