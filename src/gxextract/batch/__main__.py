"""``python -m gxextract.batch INPUT... --out DIR``: the same as ``gxextract batch``."""

from .command import batch

if __name__ == "__main__":
    batch(prog_name="gxextract batch")
