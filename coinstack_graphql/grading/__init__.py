"""Grading history, rarity assessments, census and the grade ladder."""
