"""Models of this app (to be written)."""
