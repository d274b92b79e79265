"""Acquisition wishlists and the auction lots matched to them."""
