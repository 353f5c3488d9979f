#!/usr/bin/env python
"""Django's manage.py; operators use the `semicluster` command, which is the same thing."""

from semicluster.cli import main

if __name__ == "__main__":
    main()
