"""Turning a folder of files into normalised documents and quarantine rows."""
