"""szei: statistical monitoring pipeline."""
