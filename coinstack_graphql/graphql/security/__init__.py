"""Request guards run before execution: static query cost and introspection limits."""
