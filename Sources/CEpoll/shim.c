// Intentionally empty: the target only re-exports system headers.
