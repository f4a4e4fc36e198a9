"""``python -m gxextract.batch INPUT... --out DIR``: the same as ``gxextract batch``."""

import sys

from ..cli import main

if __name__ == "__main__":
    main(["batch", *sys.argv[1:]], prog_name="gxextract")
