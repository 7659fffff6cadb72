"""Refunds of stored sales: recorded once, re-checked, sent to the tender, points undone."""
