"""Reusable widgets: they draw what they are given and emit what the shopper did."""
