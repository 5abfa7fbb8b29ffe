"""``python -m mydata_sync [serve|migrate]``."""

from mydata_sync.cli import main

if __name__ == "__main__":
    main()
