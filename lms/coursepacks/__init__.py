"""Course packs: find them, validate them (pure functions) and sync them."""
