"""Collecting series (e.g. the Twelve Caesars) with slots that coins fill; monograms."""
