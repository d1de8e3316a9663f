"""Widgets: each renders a view from AppState and posts messages; none computes math."""
