"""callreview: offline sales call review and coaching.

The package is a core library (no UI code) with two thin faces over it: the ``cli``
module and the Textual app in ``callreview.tui``. Heavy libraries (spaCy,
scikit-learn, Textual) are imported only inside the modules that need them, so
importing ``callreview`` is cheap.
"""

__version__ = "0.1.0"
