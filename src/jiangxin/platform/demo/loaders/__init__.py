"""Demo loaders of areas whose demo story reaches across apps (the demo app is the top floor: it may import any app)."""
