"""The ``passend`` console script: ``manage.py`` under the product's name.

``passend migrate``, ``passend demo``, ``passend import-duo …``, ``passend check --deploy`` …
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passend.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["passend", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
