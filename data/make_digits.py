"""Recreate ``data/digits.npz`` from scikit-learn's copy of the UCI optical-recognition digits.

Run once, in any environment that has scikit-learn (the project itself never
needs it)::

    python -m venv /tmp/sk && /tmp/sk/bin/pip install scikit-learn numpy
    /tmp/sk/bin/python data/make_digits.py

The file holds two arrays: ``images`` (1797, 8, 8) uint8 with pixel counts
0..16, and ``labels`` (1797,) uint8 with the digit 0..9, in scikit-learn's
order. The zip entries carry a fixed timestamp, so the same data gives the
same bytes. See data/README.md for the source and licence.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits

OUT = Path(__file__).resolve().parent / "digits.npz"


def main() -> None:
    bunch = load_digits()
    images = bunch.images.astype(np.uint8)
    labels = bunch.target.astype(np.uint8)
    assert np.array_equal(images, bunch.images) and np.array_equal(labels, bunch.target)
    assert images.shape == (1797, 8, 8) and images.max() == 16
    with zipfile.ZipFile(OUT, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, array in (("images", images), ("labels", labels)):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, array, allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1998, 7, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue(), compresslevel=9)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
