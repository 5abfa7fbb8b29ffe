"""``python -m webhooks [serve|migrate|backlog|show|resend]``."""

from webhooks.cli import main

if __name__ == "__main__":
    main()
