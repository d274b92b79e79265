"""Catalogue references: reference types, coin citations, concordance, external links."""
