"""Demo data for the seed_demo command (fictional names, valid checksummed codes)."""
