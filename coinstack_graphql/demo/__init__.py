"""Demo collection data: a realistic ancient-coin collection as plain Python records."""
