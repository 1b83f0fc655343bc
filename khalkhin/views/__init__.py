"""The data shapes the renderers draw, built from a chronology: records, listings, profiles,
comparisons, charts and problem reports. Nothing here writes output."""
