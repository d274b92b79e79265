"""Tests of the demo collection data."""
