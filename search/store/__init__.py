"""The index on disk: its schema, generations, lock, the live index readers open, building and updating it."""
