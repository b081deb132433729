#!/usr/bin/env python
"""Django's manage.py; the ``passend`` console script does the same."""

from passend.cli import main

if __name__ == "__main__":
    main()
