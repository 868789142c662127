"""Duplicates: matching rules, the matcher and merging."""
