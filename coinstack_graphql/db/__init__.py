"""Database plumbing: declarative base, engine, sessions."""
