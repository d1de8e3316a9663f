"""Screens: main, compare, help and the too-small notice."""
