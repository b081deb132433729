from pathlib import Path


def load_framework_path() -> Path:
    """The shipped Koers VO 2021-2022 framework file."""
    return Path(__file__).resolve().parents[2] / "data" / "koers-vo-2021-2022.json"
