"""Market tracking: prices by attribution, data points, valuations, price alerts."""
