"""The coin and what hangs off it: mint, images, provenance, countermarks, tags."""
