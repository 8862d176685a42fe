"""Figures that span areas: the overview of a workspace. Imports every area below it."""
