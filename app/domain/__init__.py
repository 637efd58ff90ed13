"""Value types and rules of clerical work, with no I/O."""
