"""``python -m notifier [serve|migrate|list|show|resend]``."""

from notifier.cli import main

if __name__ == "__main__":
    main()
